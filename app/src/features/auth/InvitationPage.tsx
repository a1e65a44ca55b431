import { Link, useNavigate } from '@tanstack/react-router'
import { useEffect, useState } from 'react'
import { ApiError, errorMessage } from '../../api/client'
import { acceptInvitation, lookupInvitation } from '../../api/projects.api'
import type { InvitationPreview } from '../../api/schemas'
import { useSession } from '../../auth/use-session'
import { Button, ErrorNote, Spinner } from '../../ui/primitives'
import { AuthLayout, linkClass } from './AuthLayout'

type Lookup =
  | { state: 'loading' }
  | { state: 'pending'; preview: InvitationPreview }
  | { state: 'gone' | 'unknown' }
  | { state: 'error'; message: string }

/**
 * Where an e-mailed invitation link lands (`/invitations/<token>`): who invites whom to
 * which project, then sign up (prefilled, joins on creation) or sign in and accept.
 */
export function InvitationPage(props: { token: string }) {
  const { token } = props
  const session = useSession()
  const navigate = useNavigate()
  const [lookup, setLookup] = useState<Lookup>({ state: 'loading' })
  const [acceptError, setAcceptError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    let cancelled = false
    lookupInvitation(token).then(
      (preview) => !cancelled && setLookup({ state: 'pending', preview }),
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
  }, [token])

  async function onAccept() {
    setBusy(true)
    setAcceptError(null)
    try {
      const project = await acceptInvitation(token)
      await navigate({ to: '/projects/$projectId', params: { projectId: project.id } })
    } catch (err) {
      if (err instanceof ApiError && err.status === 410) setLookup({ state: 'gone' })
      else setAcceptError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <AuthLayout>
      <section aria-label="Invitation" className="space-y-4">
        {lookup.state === 'loading' && <Spinner label="Opening the invitation" />}
        {lookup.state === 'gone' && (
          <>
            <h1 className="text-lg font-semibold">This invitation can no longer be used</h1>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              It has expired or was already used. Ask the person who invited you to send a new
              invitation from the project's Members page.
            </p>
          </>
        )}
        {lookup.state === 'unknown' && (
          <>
            <h1 className="text-lg font-semibold">This invitation link is not valid</h1>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              It may have been revoked or mistyped. Ask the person who invited you for a new link.
            </p>
          </>
        )}
        {lookup.state === 'error' && <ErrorNote message={lookup.message} />}
        {lookup.state === 'pending' && (
          <>
            <h1 className="text-lg font-semibold">Join {lookup.preview.projectName}</h1>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              {lookup.preview.inviterName || 'A project admin'} invited{' '}
              <strong>{lookup.preview.email}</strong> to the project{' '}
              <strong>{lookup.preview.projectName}</strong> as{' '}
              <strong>{lookup.preview.role}</strong>.
            </p>
            <ErrorNote message={acceptError} />
            {session ? (
              <>
                <p className="text-sm text-slate-500">Signed in as {session.user.email}.</p>
                <Button className="w-full" onClick={onAccept} disabled={busy}>
                  {busy ? 'Please wait…' : 'Accept and open the board'}
                </Button>
              </>
            ) : (
              <>
                <Link
                  to="/signup"
                  search={{ invitation: token, email: lookup.preview.email }}
                  className="flex h-10 w-full items-center justify-center rounded-md bg-indigo-600 text-sm font-medium text-white hover:bg-indigo-500"
                >
                  Sign up to join
                </Link>
                <p className="text-center text-sm text-slate-500">
                  Already have an account?{' '}
                  <Link
                    to="/login"
                    search={{ redirect: `/invitations/${token}` }}
                    className={linkClass}
                  >
                    Log in to accept
                  </Link>
                </p>
              </>
            )}
          </>
        )}
      </section>
    </AuthLayout>
  )
}
