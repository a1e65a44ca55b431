import { createContext, useContext, useSyncExternalStore } from 'react'
import { type Instant, toMs, viewerDates } from './dates'

/** The clock the app's relative times read; tests provide a fixed one. */
const ClockContext = createContext<() => number>(Date.now)
export const ClockProvider = ClockContext.Provider

// One shared ticker for every relative time on screen, running only while one is shown.
const TICK_MS = 30_000
let tick = 0
let timer: ReturnType<typeof setInterval> | undefined
const listeners = new Set<() => void>()
function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  timer ??= setInterval(() => {
    tick++
    for (const l of listeners) l()
  }, TICK_MS)
  return () => {
    listeners.delete(listener)
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer)
      timer = undefined
    }
  }
}

/** The current time, re-read every half minute so "5 minutes ago" does not go stale. */
export function useNow(): number {
  const clock = useContext(ClockContext)
  useSyncExternalStore(
    subscribe,
    () => tick,
    () => tick,
  )
  return clock()
}

/** An instant in the app's one format (relative while recent), the exact time as tooltip. */
export function When({ at, className }: { at: Instant; className?: string }) {
  const now = useNow()
  const ms = toMs(at)
  if (!Number.isFinite(ms)) return null
  return (
    <time dateTime={new Date(ms).toISOString()} title={viewerDates.exact(ms)} className={className}>
      {viewerDates.when(ms, now)}
    </time>
  )
}
