import { useSyncExternalStore } from 'react'
import { logout } from '../api/auth.api'
import { closeDeviceSearch } from '../features/search/search-client'
import { clearAccountCache } from '../sync/local-cache'
import {
  acquireProjectDoc,
  closeAccountDocs,
  deleteAccountDatabases,
  type Identity,
  releaseProjectDoc,
} from '../sync/project-doc'
import { clearUnsynced, unsyncedByProject, unsyncedCount } from '../sync/unsynced'
import { clearSession, getSession } from './session'

/**
 * Signing out removes the account's data from this device, so changes the server has not
 * confirmed would be lost for everyone. Callers check `unsyncedCount(userId)` first and,
 * when it is not 0, ask: discard them (`discardAndSignOut`) or wait (`signOutWhenSynced`).
 */

/**
 * Signs out and removes this account's data from the device: open documents, their
 * IndexedDB copies (with any unsynced change) and cached REST data. The server call is
 * best-effort (may be offline).
 */
export async function discardAndSignOut(): Promise<void> {
  const session = getSession()
  if (!session) return
  cancelSignOutWhenSynced()
  await logout().catch(() => {})
  const userId = session.user.id
  closeAccountDocs(userId)
  // The search worker reads the account's databases: stop it first, or it blocks their deletion.
  closeDeviceSearch()
  clearAccountCache(userId)
  clearUnsynced(userId)
  localStorage.removeItem(waitingKey(userId))
  await deleteAccountDatabases(userId)
  clearSession()
}

/** While a sign-out waits for the server: how many changes it still waits for. */
export interface WaitingSignOut {
  unsynced: number
}

// Kept across reloads, so a reload while waiting goes on waiting instead of forgetting.
const waitingKey = (userId: string) => `taskflow.signout-when-synced.${userId}`
let waiting: (WaitingSignOut & { stop: () => void }) | null = null
const listeners = new Set<() => void>()
let snapshot: WaitingSignOut | null = null

function emit(): void {
  snapshot = waiting ? { unsynced: waiting.unsynced } : null
  for (const l of listeners) l()
}

/**
 * Keeps the account signed in until every project's changes are confirmed by the server,
 * then signs out (and calls `onSignedOut`). The projects holding changes are opened so they
 * sync even when no page shows them.
 */
export function signOutWhenSynced(onSignedOut: () => void): void {
  const session = getSession()
  if (!session || waiting) return
  const identity: Identity = { userId: session.user.id, token: session.token }
  localStorage.setItem(waitingKey(identity.userId), '1')
  const held = new Map<string, () => void>()
  let finished = false
  const check = () => {
    if (finished) return
    // Edits made meanwhile (the person is still signed in) are waited for as well.
    for (const projectId of unsyncedByProject(identity.userId).keys()) {
      if (held.has(projectId)) continue
      const projectDoc = acquireProjectDoc(identity, projectId)
      held.set(projectId, projectDoc.status.subscribe(check))
    }
    const unsynced = unsyncedCount(identity.userId)
    if (waiting && waiting.unsynced !== unsynced) {
      waiting.unsynced = unsynced
      emit()
    }
    if (unsynced > 0) return
    finished = true
    stop()
    void discardAndSignOut().then(onSignedOut)
  }
  const stop = () => {
    for (const [projectId, unsubscribe] of held) {
      unsubscribe()
      releaseProjectDoc(identity, projectId)
    }
    held.clear()
  }
  waiting = { unsynced: unsyncedCount(identity.userId), stop }
  emit()
  check()
}

/** Stays signed in after all (the person changed their mind). */
export function cancelSignOutWhenSynced(): void {
  if (!waiting) return
  const session = getSession()
  if (session) localStorage.removeItem(waitingKey(session.user.id))
  waiting.stop()
  waiting = null
  emit()
}

/** Whether a sign-out was waiting for the server when the app was last closed. */
export function wasWaitingToSignOut(userId: string): boolean {
  return localStorage.getItem(waitingKey(userId)) !== null
}

export function useWaitingSignOut(): WaitingSignOut | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    () => snapshot,
  )
}
