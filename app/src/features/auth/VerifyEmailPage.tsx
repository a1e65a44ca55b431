import { Link, useNavigate } from '@tanstack/react-router'
import { useEffect, useState } from 'react'
import { verifyEmail } from '../../api/auth.api'
import { ApiError, errorMessage } from '../../api/client'
import { setSession } from '../../auth/session'
import { ErrorNote, Field, Input, Spinner } from '../../ui/primitives'
import { AuthLayout, linkClass } from './AuthLayout'
import { ResendVerification } from './ResendVerification'

type State =
  | { state: 'verifying' }
  | { state: 'gone' | 'unknown' }
  | { state: 'error'; message: string }

/**
 * One request per token, shared: the link is single use, and React may run an effect twice
 * (StrictMode), which must not spend the link on a request whose answer nobody reads.
 */
const attempts = new Map<string, ReturnType<typeof verifyEmail>>()

/**
 * Where the e-mailed link `/verify-email/<token>` lands: confirms the address, signs in and
 * opens the board joined through an invitation (or the projects). An expired or used link
 * explains itself and offers a new one.
 */
export function VerifyEmailPage(props: { token: string }) {
  const { token } = props
  const navigate = useNavigate()
  const [lookup, setLookup] = useState<State>({ state: 'verifying' })
  const [email, setEmail] = useState('')

  useEffect(() => {
    let cancelled = false
    let attempt = attempts.get(token)
    if (!attempt) {
      attempt = verifyEmail(token)
      attempts.set(token, attempt)
    }
    attempt.then(
      async (session) => {
        if (cancelled) return
        setSession(session)
        const joined = session.joinedProjectIds[0]
        await navigate(
          joined
            ? { to: '/projects/$projectId', params: { projectId: joined }, replace: true }
            : { to: '/projects', replace: true },
        )
      },
      (err) => {
        if (cancelled) return
        if (err instanceof ApiError && err.status === 410) setLookup({ state: 'gone' })
        else if (err instanceof ApiError && err.status === 404) setLookup({ state: 'unknown' })
        else setLookup({ state: 'error', message: errorMessage(err) })
      },
    )
    return () => {
      cancelled = true
    }
  }, [token, navigate])

  return (
    <AuthLayout>
      <section aria-label="Verify e-mail" className="space-y-4">
        {lookup.state === 'verifying' && <Spinner label="Confirming your e-mail address" />}
        {lookup.state === 'error' && <ErrorNote message={lookup.message} />}
        {(lookup.state === 'gone' || lookup.state === 'unknown') && (
          <>
            <h1 className="text-lg font-semibold">
              {lookup.state === 'gone'
                ? 'This link can no longer be used'
                : 'This verification link is not valid'}
            </h1>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              {lookup.state === 'gone'
                ? 'It has expired or was already used. If your address is confirmed already, just log in; otherwise ask for a new link.'
                : 'It may have been mistyped or cut off. Ask for a new link, or log in.'}
            </p>
            <Field label="Email" htmlFor="email">
              <Input
                id="email"
                name="email"
                type="email"
                autoComplete="email"
                value={email}
                onChange={(e) => setEmail(e.target.value.trim())}
              />
            </Field>
            <ResendVerification email={email} />
            <p className="text-center text-sm">
              <Link to="/login" className={linkClass}>
                Log in
              </Link>
            </p>
          </>
        )}
      </section>
    </AuthLayout>
  )
}
