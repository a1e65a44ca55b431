/**
 * Background work that must not hold up what the person is doing: it runs in slices of a
 * few milliseconds, in the browser's idle periods, and only once input has been quiet for a
 * while. Work started by opening a board (the device search index arriving from its worker,
 * the board snapshot written to IndexedDB) landed in the first keystrokes, the list's scroll
 * and the first view switch when it ran as soon as it was ready (docs/benchmarks.md, issue 15).
 */

/** No key, pointer, wheel or touch input for this long before background work runs. */
export const INPUT_QUIET_MS = 1_000
/** Longest slice of background work: well under a frame, so input waits at most this. */
export const SLICE_MS = 5

const INPUT_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const
let lastInput = Number.NEGATIVE_INFINITY
let listening = false

function listen(): void {
  if (listening || typeof window === 'undefined') return
  listening = true
  const seen = () => {
    lastInput = performance.now()
  }
  for (const type of INPUT_EVENTS)
    window.addEventListener(type, seen, { capture: true, passive: true })
}

/** Milliseconds until input will have been quiet for `INPUT_QUIET_MS` (0 when it has). */
function quietIn(): number {
  return Math.max(0, lastInput + INPUT_QUIET_MS - performance.now())
}

/**
 * Resolves at the start of an idle slice; the function it resolves with says whether the
 * slice has time left (call it between small steps, stop when it returns false, then await
 * the next slice). Outside a browser with idle callbacks (tests, Node), slices are timer
 * tasks of `SLICE_MS`.
 */
export function nextIdleSlice(): Promise<() => boolean> {
  listen()
  return new Promise((resolve) => {
    const start = (deadline?: IdleDeadline) => {
      const wait = quietIn()
      if (wait > 0) {
        setTimeout(schedule, wait)
        return
      }
      const until = performance.now() + SLICE_MS
      resolve(() => performance.now() < until && (!deadline || deadline.timeRemaining() > 0))
    }
    const schedule = () => {
      if (typeof requestIdleCallback === 'function') requestIdleCallback(start)
      else setTimeout(start, 0)
    }
    schedule()
  })
}

/** Runs `fn` once, in an idle period after input has been quiet (see `nextIdleSlice`). */
export function whenInputQuiet(fn: () => void): () => void {
  let cancelled = false
  void nextIdleSlice().then(() => {
    if (!cancelled) fn()
  })
  return () => {
    cancelled = true
  }
}
