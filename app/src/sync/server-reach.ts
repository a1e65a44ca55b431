/**
 * How long the sync socket may keep failing to reach the server before the indicator says
 * "Can't reach the server" instead of "Connecting…". Long enough that a normal connect or a
 * server restart (reconnect backoff ≤ 1 s) never shows it, short enough that someone editing
 * learns their changes are only on this device.
 */
export const SERVER_UNREACHABLE_AFTER_MS = 4_000

/** The timer functions the tracker uses (the global ones by default; tests inject fakes). */
export interface Timers {
  setTimeout: (fn: () => void, ms: number) => unknown
  clearTimeout: (handle: unknown) => void
}

const globalTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

/**
 * Whether the server has been out of reach for `afterMs`: an outage starts with the first
 * connection attempt, dropped connection or unanswered request since the server last
 * answered, and ends when it answers (a completed sync) or when we stop trying (offline,
 * sign-out). The browser's
 * `navigator.onLine` says nothing about the server (it stays true when the server is down,
 * and some browsers report it wrongly after an offline reload), so only the socket counts.
 *
 * Fed by the provider's events (see sync-status.ts); `onChange` runs when `unreachable` flips.
 */
export function createServerReach(opts: {
  onChange: () => void
  afterMs?: number
  timers?: Timers
}) {
  const { onChange, afterMs = SERVER_UNREACHABLE_AFTER_MS, timers = globalTimers } = opts
  let outage: unknown = null
  let unreachable = false

  function set(next: boolean): void {
    if (next === unreachable) return
    unreachable = next
    onChange()
  }

  function endOutage(): void {
    if (outage !== null) timers.clearTimeout(outage)
    outage = null
    set(false)
  }

  return {
    get unreachable() {
      return unreachable
    },
    /** A connection attempt started, failed or dropped, or a request was sent: the clock starts if it is not running. */
    trying(): void {
      if (outage !== null) return
      outage = timers.setTimeout(() => set(true), afterMs)
    },
    /** The server answered a sync: it is reachable. */
    reached: endOutage,
    /** We stopped trying to connect (offline, refused, closed): no outage to report. */
    stopped: endOutage,
    /** Cancels the clock without reporting a change (the store is going away). */
    dispose(): void {
      if (outage !== null) timers.clearTimeout(outage)
      outage = null
    },
  }
}

export type ServerReach = ReturnType<typeof createServerReach>
