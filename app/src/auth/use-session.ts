import { useSyncExternalStore } from 'react'
import { getSession, type Session, subscribeSession } from './session'

export function useSession(): Session | null {
  return useSyncExternalStore(subscribeSession, getSession)
}

/** For components under the `_authed` guard, where a session always exists. */
export function useRequiredSession(): Session {
  const session = useSession()
  if (!session) throw new Error('useRequiredSession outside the signed-in area')
  return session
}
