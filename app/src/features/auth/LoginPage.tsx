import { Link, useNavigate } from '@tanstack/react-router'
import { type FormEvent, useEffect, useState } from 'react'
import { login, register } from '../../api/auth.api'
import { ApiError, errorMessage } from '../../api/client'
import { type AuthConfig, getAuthConfig, ssoStartUrl } from '../../api/sso.api'
import { setSession } from '../../auth/session'
import type { AuthSearch } from '../../routes/auth-search'
import { Button, cx, ErrorNote, Field, Input, Spinner } from '../../ui/primitives'
import { AuthLayout, linkClass } from './AuthLayout'
import { ResendVerification } from './ResendVerification'
import { SSO_ERROR_MESSAGES } from './sso-errors'

/** Offline, the server cannot say: offer passwords (the server refuses them if it must). */
const PASSWORDS_ONLY: AuthConfig = { passwordLogin: true, sso: null }

/** What the server offers, or null while asking. */
function useAuthConfig(): AuthConfig | null {
  const [value, setValue] = useState<AuthConfig | null>(null)
  useEffect(() => {
    let live = true
    getAuthConfig()
      .then((c) => live && setValue(c))
      .catch(() => live && setValue(PASSWORDS_ONLY))
    return () => {
      live = false
    }
  }, [])
  return value
}

/**
 * Sign in and sign up share one form; `mode` picks the fields and the endpoint. From an
 * invitation link, sign-up carries the token (the new account joins the project and lands
 * on its board) and starts with the invited address. When the server has single sign-on,
 * "Sign in with …" leads to the provider (carrying the invitation too), and with
 * TASKFLOW_OIDC_ONLY=1 it is the only way in: the password form is not shown. Any other
 * sign-up ends at "check your e-mail" (the server says the same whether or not the address
 * has an account); a log-in to an unverified account offers a new link.
 */
export function LoginPage(props: { mode: 'login' | 'signup'; search: AuthSearch }) {
  const navigate = useNavigate()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  /** The address a verification link went to (sign-up) or must go to (log-in). */
  const [checkMail, setCheckMail] = useState<string | null>(null)
  const [unverified, setUnverified] = useState<string | null>(null)
  const isSignup = props.mode === 'signup'
  const { redirect: redirectTo, invitation, email: invitedEmail, ssoError } = props.search
  const authConfig = useAuthConfig()
  const sso = authConfig?.sso
  const passwords = authConfig?.passwordLogin ?? false

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
    const email = String(form.get('email') ?? '').trim()
    const password = String(form.get('password') ?? '')
    const name = String(form.get('name') ?? '').trim()
    setBusy(true)
    setError(null)
    setUnverified(null)
    try {
      if (isSignup) {
        const session = await register({ email, password, name, invitationToken: invitation })
        if ('status' in session) {
          setCheckMail(email)
          return
        }
        setSession(session)
        const joined = session.joinedProjectId
        await navigate({
          href: joined ? `/projects/${joined}` : (redirectTo ?? '/projects'),
          replace: true,
        })
      } else {
        setSession(await login({ email, password }))
        await navigate({ href: redirectTo ?? '/projects', replace: true })
      }
    } catch (err) {
      if (err instanceof ApiError && err.code === 'email_unverified') setUnverified(email)
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  if (checkMail) {
    return (
      <AuthLayout>
        <section aria-label="Check your e-mail" className="space-y-4">
          <h1 className="text-lg font-semibold">Check your e-mail</h1>
          <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
            We sent a message to <strong>{checkMail}</strong>. Open the link in it to confirm your
            address and sign in. If you already have an account, the message says how to sign in
            instead.
          </p>
          <ResendVerification email={checkMail} />
          <p className="text-center text-sm">
            <Link to="/login" className={linkClass}>
              Back to log in
            </Link>
          </p>
        </section>
      </AuthLayout>
    )
  }

  return (
    <AuthLayout>
      <form onSubmit={onSubmit} className="space-y-4" aria-label={isSignup ? 'Sign up' : 'Log in'}>
        <h1 className="text-lg font-semibold">
          {isSignup ? 'Create your account' : 'Log in to TaskFlow'}
        </h1>
        {props.search.reason === 'expired' && !error && (
          <p
            role="status"
            className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
          >
            Your session expired, sign in again.
          </p>
        )}
        {ssoError && !error && <ErrorNote message={SSO_ERROR_MESSAGES[ssoError]} />}
        {!authConfig && <Spinner label="Loading sign-in options" />}
        {sso && (
          <a
            href={ssoStartUrl({ redirect: redirectTo, invitation })}
            className={cx(
              'flex h-10 w-full items-center justify-center rounded-md px-4 text-sm font-medium',
              passwords
                ? 'border border-slate-300 text-slate-800 hover:bg-slate-50 dark:border-slate-700 dark:text-slate-100 dark:hover:bg-slate-800'
                : 'bg-indigo-600 text-white hover:bg-indigo-700',
            )}
          >
            Sign in with {sso.label}
          </a>
        )}
        {sso && passwords && (
          <p className="text-center text-xs uppercase tracking-wide text-slate-400">or</p>
        )}
        {passwords && (
          <>
            {isSignup && (
              <Field label="Name" htmlFor="name">
                <Input id="name" name="name" autoComplete="name" required />
              </Field>
            )}
            <Field label="Email" htmlFor="email">
              <Input
                id="email"
                name="email"
                type="email"
                autoComplete="email"
                defaultValue={invitedEmail}
                required
              />
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
            {!isSignup && (
              <p className="-mt-2 text-right text-sm">
                <Link to="/forgot-password" className={linkClass}>
                  Forgot password?
                </Link>
              </p>
            )}
            <ErrorNote message={error} />
            {unverified && <ResendVerification email={unverified} />}
            <Button type="submit" className="w-full" disabled={busy}>
              {busy ? 'Please wait…' : isSignup ? 'Sign up' : 'Log in'}
            </Button>
            <p className="text-center text-sm text-slate-500">
              {isSignup ? 'Already have an account? ' : 'New to TaskFlow? '}
              <Link
                to={isSignup ? '/login' : '/signup'}
                search={props.search}
                className={linkClass}
              >
                {isSignup ? 'Log in' : 'Create an account'}
              </Link>
            </p>
          </>
        )}
      </form>
    </AuthLayout>
  )
}
