import { useEffect } from 'react'
import type { WebsocketProvider } from 'y-websocket'
import { getAway, putVisit, putVisitOnLeave } from '../../api/away.api'
import { awayStore, readPending, writePending } from './away-store'

/** While the board stays open and synced, its visit is written this often. */
export const VISIT_EVERY_MS = 60_000
const RETRY_MS = 2_000

/**
 * "While you were away" for an open board (docs/api.md): once the document has synced, reads
 * what others changed since my last visit (or the window of a summary not dismissed yet),
 * then records the visit; records it again every minute while open and synced, and when the
 * page or the board is left. Offline nothing is written, so the stored visit stays the last
 * moment the board was really in sync.
 */
export function useWhileAway(
  projectId: string,
  provider: WebsocketProvider,
  userId: string,
  enabled: boolean,
): void {
  useEffect(() => {
    if (!enabled) return
    let cancelled = false
    let state: 'idle' | 'reading' | 'done' = 'idle'
    // The handshake done on this socket: the board is in sync. (`synced` alone flips back to
    // false while the app waits for the server to confirm an edit, so later writes look at the
    // socket: once synced, a connected socket keeps the board in sync.)
    const inSync = () => provider.wsconnected && provider.synced
    const connected = () => provider.wsconnected
    const begin = async () => {
      if (state !== 'idle' || !inSync()) return
      state = 'reading'
      try {
        const summary = await getAway(projectId, readPending(userId, projectId) ?? {})
        if (cancelled) return
        if (summary.since !== null && summary.tasks.length > 0) {
          writePending(userId, projectId, { since: summary.since, until: summary.until })
          awayStore.set({ projectId, summary })
        } else {
          writePending(userId, projectId, null)
        }
        await putVisit(projectId)
        state = 'done'
      } catch {
        // Offline again or refused: the next sync tries again.
        if (!cancelled) state = 'idle'
      }
    }
    const onSync = (synced: boolean) => {
      if (synced) void begin()
    }
    provider.on('sync', onSync)
    void begin()
    const timer = setInterval(() => {
      if (state === 'done' && connected()) putVisit(projectId).catch(() => {})
    }, VISIT_EVERY_MS)
    // A sync that happened before this effect (the project list came later) or a failed read.
    const retry = setInterval(() => {
      if (state === 'idle') void begin()
    }, RETRY_MS)
    const leave = () => {
      if (state === 'done' && connected()) putVisitOnLeave(projectId)
    }
    // Hidden (tab switched, app backgrounded on a phone) often ends a visit without a pagehide.
    const onHidden = () => {
      if (document.visibilityState === 'hidden') leave()
    }
    window.addEventListener('pagehide', leave)
    document.addEventListener('visibilitychange', onHidden)
    return () => {
      cancelled = true
      provider.off('sync', onSync)
      clearInterval(timer)
      clearInterval(retry)
      window.removeEventListener('pagehide', leave)
      document.removeEventListener('visibilitychange', onHidden)
      leave()
      awayStore.clear()
    }
  }, [projectId, provider, userId, enabled])
}

/** Dismissing the summary marks the board visited now. */
export function dismissAway(projectId: string, userId: string): void {
  writePending(userId, projectId, null)
  awayStore.clear()
  putVisit(projectId).catch(() => {})
}
