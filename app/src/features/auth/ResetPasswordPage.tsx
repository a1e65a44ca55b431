import { Link } from '@tanstack/react-router'
import { type FormEvent, useState } from 'react'
import { confirmPasswordReset } from '../../api/auth.api'
import { ApiError, errorMessage } from '../../api/client'
import { Button, ErrorNote, Field, Input } from '../../ui/primitives'
import { AuthLayout, linkClass } from './AuthLayout'

type Outcome = 'form' | 'done' | 'bad_link'

/**
 * The e-mailed link `/reset-password?token=…`: choose a new password, then sign in with it.
 * A weak password keeps the form (the link stays usable); a used or expired link says so.
 */
export function ResetPasswordPage(props: { token: string | undefined }) {
  const [outcome, setOutcome] = useState<Outcome>(props.token ? 'form' : 'bad_link')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    if (!props.token) return
    const newPassword = String(new FormData(e.currentTarget).get('newPassword') ?? '')
    setBusy(true)
    setError(null)
    try {
      await confirmPasswordReset({ token: props.token, newPassword })
      setOutcome('done')
    } catch (err) {
      // The server answers a used/expired link with 400 bad_request (weak passwords have their own code).
      if (err instanceof ApiError && err.code === 'bad_request') setOutcome('bad_link')
      else setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  if (outcome === 'done') {
    return (
      <AuthLayout>
        <h1 className="text-lg font-semibold">Password changed</h1>
        <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
          Your new password is set, and you were signed out everywhere else. Sign in with it.
        </p>
        <Link
          to="/login"
          className="flex h-10 w-full items-center justify-center rounded-md bg-indigo-600 text-sm font-medium text-white hover:bg-indigo-500"
        >
          Sign in
        </Link>
      </AuthLayout>
    )
  }

  if (outcome === 'bad_link') {
    return (
      <AuthLayout>
        <h1 className="text-lg font-semibold">This reset link can no longer be used</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          It has expired, was already used, or a newer link replaced it. Ask for a new one.
        </p>
        <Link to="/forgot-password" className={linkClass}>
          Send me a new link
        </Link>
      </AuthLayout>
    )
  }

  return (
    <AuthLayout>
      <form onSubmit={onSubmit} className="space-y-4" aria-label="Choose a new password">
        <h1 className="text-lg font-semibold">Choose a new password</h1>
        <Field label="New password" htmlFor="newPassword">
          <Input
            id="newPassword"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            minLength={8}
            required
          />
        </Field>
        <ErrorNote message={error} />
        <Button type="submit" className="w-full" disabled={busy}>
          {busy ? 'Please wait…' : 'Set new password'}
        </Button>
      </form>
    </AuthLayout>
  )
}
