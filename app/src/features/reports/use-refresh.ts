import { useEffect, useState, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'

/** Wait for a burst of board edits to end before asking the server again. */
const EDIT_DEBOUNCE_MS = 1_000
/**
 * The server projects edits into SQL ~0.5 s after the last one, later when busy; a second
 * look a few seconds on catches figures the first refetch was too early for (also edits
 * made on the board just before this page opened).
 */
const CONFIRM_AFTER_MS = 5_000
/** Catches changes this tab cannot see (another project's edits, the clock passing midnight). */
const POLL_MS = 30_000

function subscribeOnline(onChange: () => void): () => void {
  window.addEventListener('online', onChange)
  window.addEventListener('offline', onChange)
  return () => {
    window.removeEventListener('online', onChange)
    window.removeEventListener('offline', onChange)
  }
}

/** The browser's own network signal (reports are never fetched while it says offline). */
export function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine)
}

/**
 * A counter that goes up whenever reports should be refetched: after the project's
 * document changes (debounced), on a slow poll while the tab is visible, when the tab
 * becomes visible and when the network comes back. Pass `doc: null` for pages that
 * span projects (poll and network only). Use the value as an effect dependency.
 */
export function useRefreshTick(doc: Y.Doc | null): { tick: number; refresh: () => void } {
  const [tick, setTick] = useState(0)

  useEffect(() => {
    const bump = () => setTick((t) => t + 1)
    let debounce: ReturnType<typeof setTimeout> | undefined
    let confirm: ReturnType<typeof setTimeout> | undefined
    const afterChange = (delay: number) => {
      clearTimeout(debounce)
      clearTimeout(confirm)
      debounce = setTimeout(() => {
        bump()
        confirm = setTimeout(bump, CONFIRM_AFTER_MS)
      }, delay)
    }
    const onUpdate = () => afterChange(EDIT_DEBOUNCE_MS)
    const onVisible = () => {
      if (document.visibilityState === 'visible') bump()
    }
    const poll = setInterval(() => {
      if (document.visibilityState === 'visible') bump()
    }, POLL_MS)
    // The first fetch happens on mount; this only schedules its confirming look.
    if (doc) confirm = setTimeout(bump, CONFIRM_AFTER_MS)
    doc?.on('update', onUpdate)
    window.addEventListener('online', bump)
    document.addEventListener('visibilitychange', onVisible)
    return () => {
      clearTimeout(debounce)
      clearTimeout(confirm)
      clearInterval(poll)
      doc?.off('update', onUpdate)
      window.removeEventListener('online', bump)
      document.removeEventListener('visibilitychange', onVisible)
    }
  }, [doc])

  return { tick, refresh: () => setTick((t) => t + 1) }
}
