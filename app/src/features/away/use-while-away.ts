import { useEffect } from 'react'
import type { WebsocketProvider } from 'y-websocket'
import { getAway, putVisit, putVisitOnLeave } from '../../api/away.api'
import { awayStore, readPending, writePending } from './away-store'

/** While the board stays open and synced, its visit is written this often. */
export const VISIT_EVERY_MS = 60_000

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
    const inSync = () => provider.wsconnected && provider.synced
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
      if (state === 'done' && inSync()) putVisit(projectId).catch(() => {})
    }, VISIT_EVERY_MS)
    const leave = () => {
      if (state === 'done' && inSync()) putVisitOnLeave(projectId)
    }
    window.addEventListener('pagehide', leave)
    return () => {
      cancelled = true
      provider.off('sync', onSync)
      clearInterval(timer)
      window.removeEventListener('pagehide', leave)
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
