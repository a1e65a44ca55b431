import { useState } from 'react'
import { resendVerification } from '../../api/auth.api'
import { errorMessage } from '../../api/client'
import { Button, ErrorNote } from '../../ui/primitives'

/**
 * "Send a new link" for an address that has not been verified. The server answers the same
 * whatever the address, so the confirmation says "if", never "we found your account".
 */
export function ResendVerification(props: { email: string }) {
  const [state, setState] = useState<'idle' | 'busy' | 'sent'>('idle')
  const [error, setError] = useState<string | null>(null)

  async function onResend() {
    setState('busy')
    setError(null)
    try {
      await resendVerification(props.email)
      setState('sent')
    } catch (err) {
      setError(errorMessage(err))
      setState('idle')
    }
  }

  return (
    <div className="space-y-2">
      <ErrorNote message={error} />
      {state === 'sent' ? (
        <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
          If <strong>{props.email}</strong> is waiting for verification, a new link is on its way.
        </p>
      ) : (
        <Button
          variant="secondary"
          className="w-full"
          onClick={onResend}
          disabled={state === 'busy' || !props.email}
        >
          {state === 'busy' ? 'Please wait…' : 'Send a new link'}
        </Button>
      )}
    </div>
  )
}
