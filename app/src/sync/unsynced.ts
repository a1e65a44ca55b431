/**
 * How many of an account's changes the server has not confirmed, per project. Each open
 * project's sync-status store keeps its count in localStorage under `unsyncedKey`, so the
 * count of a project that is not open (edited offline, then left) is still known.
 *
 * Whatever deletes local data (sign-out, a project's local copy) must read this first:
 * a change counted here exists only on this device.
 */
const PREFIX = 'taskflow.unsynced.'

export const unsyncedKey = (userId: string, projectId: string) => `${PREFIX}${userId}.${projectId}`

/** Projects of the account holding unconfirmed changes, with their counts. */
export function unsyncedByProject(userId: string): Map<string, number> {
  const prefix = `${PREFIX}${userId}.`
  const counts = new Map<string, number>()
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i)
    if (!key?.startsWith(prefix)) continue
    const n = Number(localStorage.getItem(key))
    if (Number.isFinite(n) && n > 0) counts.set(key.slice(prefix.length), n)
  }
  return counts
}

export function unsyncedCount(userId: string, projectId?: string): number {
  const counts = unsyncedByProject(userId)
  if (projectId !== undefined) return counts.get(projectId) ?? 0
  let total = 0
  for (const n of counts.values()) total += n
  return total
}

/** Forgets the counts (their changes are being deleted with the local copies). */
export function clearUnsynced(userId: string, projectId?: string): void {
  const prefix = projectId === undefined ? `${PREFIX}${userId}.` : unsyncedKey(userId, projectId)
  const keys: string[] = []
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i)
    if (key && (projectId === undefined ? key.startsWith(prefix) : key === prefix)) keys.push(key)
  }
  for (const key of keys) localStorage.removeItem(key)
}
