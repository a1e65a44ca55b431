import { Link, useNavigate } from '@tanstack/react-router'
import { type FormEvent, useState } from 'react'
import { login, register } from '../../api/auth.api'
import { errorMessage } from '../../api/client'
import { setSession } from '../../auth/session'
import { Button, ErrorNote, Field, Input } from '../../ui/primitives'

/** Sign in and sign up share one form; `mode` picks the fields and the endpoint. */
export function LoginPage(props: {
  mode: 'login' | 'signup'
  redirectTo: string | undefined
  /** Sent here because the server stopped accepting the session. */
  expired?: boolean
}) {
  const navigate = useNavigate()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const isSignup = props.mode === 'signup'

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
    const email = String(form.get('email') ?? '').trim()
    const password = String(form.get('password') ?? '')
    const name = String(form.get('name') ?? '').trim()
    setBusy(true)
    setError(null)
    try {
      const session = isSignup
        ? await register({ email, password, name })
        : await login({ email, password })
      setSession(session)
      await navigate({ href: props.redirectTo ?? '/projects', replace: true })
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="flex min-h-dvh items-center justify-center p-4">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2">
          <img src="/icons/icon.svg" alt="" className="size-9" />
          <span className="text-2xl font-bold tracking-tight">TaskFlow</span>
        </div>
        <form
          onSubmit={onSubmit}
          className="space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900"
          aria-label={isSignup ? 'Sign up' : 'Log in'}
        >
          <h1 className="text-lg font-semibold">
            {isSignup ? 'Create your account' : 'Log in to TaskFlow'}
          </h1>
          {props.expired && !error && (
            <p
              role="status"
              className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
            >
              Your session expired, sign in again.
            </p>
          )}
          {isSignup && (
            <Field label="Name" htmlFor="name">
              <Input id="name" name="name" autoComplete="name" required />
            </Field>
          )}
          <Field label="Email" htmlFor="email">
            <Input id="email" name="email" type="email" autoComplete="email" required />
          </Field>
          <Field label="Password" htmlFor="password">
            <Input
              id="password"
              name="password"
              type="password"
              autoComplete={isSignup ? 'new-password' : 'current-password'}
              minLength={isSignup ? 8 : undefined}
              required
            />
          </Field>
          <ErrorNote message={error} />
          <Button type="submit" className="w-full" disabled={busy}>
            {busy ? 'Please wait…' : isSignup ? 'Sign up' : 'Log in'}
          </Button>
          <p className="text-center text-sm text-slate-500">
            {isSignup ? 'Already have an account? ' : 'New to TaskFlow? '}
            <Link
              to={isSignup ? '/login' : '/signup'}
              search={{ redirect: props.redirectTo }}
              className="font-medium text-indigo-600 hover:underline"
            >
              {isSignup ? 'Log in' : 'Create an account'}
            </Link>
          </p>
        </form>
      </div>
    </main>
  )
}
