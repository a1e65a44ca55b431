import { Link, useNavigate } from '@tanstack/react-router'
import { useEffect, useRef, useState } from 'react'
import { errorMessage } from '../../api/client'
import { userOfToken } from '../../api/sso.api'
import { setSession } from '../../auth/session'
import { redirectTarget } from '../../routes/auth-search'
import { ErrorNote, Spinner } from '../../ui/primitives'
import { AuthLayout, linkClass } from './AuthLayout'

/** Reads `#token=…&next=…` once and removes it from the address bar and history. */
function takeHandOver(): { token: string | null; next: string | undefined } {
  const params = new URLSearchParams(window.location.hash.slice(1))
  window.history.replaceState(window.history.state, '', window.location.pathname)
  const next = params.get('next')
  return { token: params.get('token'), next: next ? redirectTarget(next) : undefined }
}

/**
 * Where the server's single sign-on ends (`/auth/sso#token=…`): the session token comes
 * in the URL fragment, which no server or Referer ever sees; it is taken out of the URL at
 * once, stored like a password sign-in's, and the person goes on to where they were going.
 */
export function SsoLandingPage() {
  const navigate = useNavigate()
  const [error, setError] = useState<string | null>(null)
  const handOver = useRef<ReturnType<typeof takeHandOver> | null>(null)

  useEffect(() => {
    if (handOver.current) return
    handOver.current = takeHandOver()
    const { token, next } = handOver.current
    if (!token) {
      setError('This sign-in link has already been used. Please sign in again.')
      return
    }
    userOfToken(token)
      .then((user) => {
        setSession({ token, user })
        return navigate({ href: next ?? '/projects', replace: true })
      })
      .catch((err: unknown) => setError(errorMessage(err)))
  }, [navigate])

  return (
    <AuthLayout>
      {error ? (
        <>
          <ErrorNote message={error} />
          <p className="text-center text-sm">
            <Link to="/login" className={linkClass}>
              Back to sign-in
            </Link>
          </p>
        </>
      ) : (
        <Spinner label="Signing you in" />
      )}
    </AuthLayout>
  )
}
