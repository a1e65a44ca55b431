import { Link } from '@tanstack/react-router'
import { type FormEvent, useState } from 'react'
import { requestPasswordReset } from '../../api/auth.api'
import { errorMessage } from '../../api/client'
import { Button, ErrorNote, Field, Input } from '../../ui/primitives'
import { AuthLayout, linkClass } from './AuthLayout'

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
export function ForgotPasswordPage() {
  const [sentTo, setSentTo] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const email = String(new FormData(e.currentTarget).get('email') ?? '').trim()
    setBusy(true)
    setError(null)
    try {
      await requestPasswordReset(email)
      setSentTo(email)
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  if (sentTo) {
    return (
      <AuthLayout>
        <h1 className="text-lg font-semibold">Check your mail</h1>
        <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
          If <strong>{sentTo}</strong> has a TaskFlow account, we sent it a link to choose a new
          password. The link works once and for a limited time.
        </p>
        <p className="text-sm">
          <Link to="/login" className={linkClass}>
            Back to log in
          </Link>
        </p>
      </AuthLayout>
    )
  }

  return (
    <AuthLayout>
      <form onSubmit={onSubmit} className="space-y-4" aria-label="Reset password">
        <h1 className="text-lg font-semibold">Forgot your password?</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Enter your account's e-mail and we will send you a link to choose a new one.
        </p>
        <Field label="Email" htmlFor="email">
          <Input id="email" name="email" type="email" autoComplete="email" required />
        </Field>
        <ErrorNote message={error} />
        <Button type="submit" className="w-full" disabled={busy}>
          {busy ? 'Please wait…' : 'Send reset link'}
        </Button>
        <p className="text-center text-sm">
          <Link to="/login" className={linkClass}>
            Back to log in
          </Link>
        </p>
      </form>
    </AuthLayout>
  )
}
