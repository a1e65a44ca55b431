import { logout } from '../api/auth.api'
import { clearAccountCache } from '../sync/local-cache'
import { closeAccountDocs, deleteAccountDatabases } from '../sync/project-doc'
import { clearSession, getSession } from './session'

/**
 * Signs out and removes this account's data from the device: open documents, their
 * IndexedDB copies and cached REST data. The server call is best-effort (may be offline).
 */
export async function signOut(): Promise<void> {
  const session = getSession()
  if (!session) return
  await logout().catch(() => {})
  const userId = session.user.id
  closeAccountDocs(userId)
  clearAccountCache(userId)
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith(`taskflow.unsynced.${userId}.`)) localStorage.removeItem(key)
  }
  await deleteAccountDatabases(userId)
  clearSession()
}
