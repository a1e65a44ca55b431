import type { RateResult } from './rate-limit.js'

/**
 * Slows password guessing without letting anyone lock an owner out of their account.
 *
 * - **Per (account, address):** the first `freeFailures` wrong passwords cost nothing; after
 *   that each failure makes this address wait `baseDelayMs`, doubling per further failure
 *   up to `maxDelayMs`. While it waits, every attempt from it on this account is refused
 *   *before* the password is checked, the right one included, so a refusal says nothing
 *   about the password. A success (after the wait) forgets the address's failures.
 * - **Per account, all addresses:** once the account has had `accountCeiling` failures within
 *   `accountWindowMs`, it is under attack, and an address that has itself failed on it
 *   waits after its *first* failure instead of after `freeFailures`. An address with no
 *   failure on the account is never throttled here, so the owner signing in from their own
 *   device with the right password always gets in. A guesser with many addresses gets one
 *   free guess per address, then backoff on each.
 *
 * Accounts are the normalised e-mail, so unknown e-mails are throttled exactly like real
 * ones (no existence oracle). State is in memory, per process, bounded by `maxEntries`
 * (least recently failed forgotten first); with several nodes it lives in Redis behind this
 * interface (cluster/redis-rate-limit.ts).
 */
export interface LoginThrottle {
  /** Before verifying a password: may `address` try `account` now? */
  check(account: string, address: string): RateResult | Promise<RateResult>
  /** A wrong password (or an unknown account) from `address`. */
  failed(account: string, address: string): void | Promise<void>
  /** The right password from `address`: forgets its failures on `account`. */
  succeeded(account: string, address: string): void | Promise<void>
}

/** The in-memory throttle (one node): answers at once. */
export interface MemoryLoginThrottle extends LoginThrottle {
  check(account: string, address: string): RateResult
  failed(account: string, address: string): void
  succeeded(account: string, address: string): void
}

export interface LoginThrottleOptions {
  freeFailures: number
  baseDelayMs: number
  maxDelayMs: number
  accountCeiling: number
  accountWindowMs: number
  /** An address's failures on an account are forgotten this long after the last one. */
  forgetAfterMs: number
  maxEntries?: number
  now: () => number
}

interface PairState {
  failures: number
  lastAt: number
}

export function createLoginThrottle(opts: LoginThrottleOptions): MemoryLoginThrottle {
  const { now, maxEntries = 100_000 } = opts
  const pairs = new Map<string, PairState>()
  // Per account, the times of its latest `accountCeiling` failures, oldest first.
  const recent = new Map<string, number[]>()
  const pairKey = (account: string, address: string) => `${account}\n${address}`

  // Re-inserting moves a key to the end, so the first key is the least recently touched.
  const touch = <V>(map: Map<string, V>, key: string, value: V) => {
    map.delete(key)
    map.set(key, value)
    if (map.size > maxEntries) map.delete(map.keys().next().value!)
  }

  const livePair = (key: string, t: number): PairState | undefined => {
    const state = pairs.get(key)
    if (state && t - state.lastAt >= opts.forgetAfterMs) {
      pairs.delete(key)
      return undefined
    }
    return state
  }

  const underAttack = (account: string, t: number): boolean => {
    const times = recent.get(account)
    return (
      times !== undefined &&
      times.length >= opts.accountCeiling &&
      times[0]! > t - opts.accountWindowMs
    )
  }

  const delayAfter = (failures: number, free: number): number =>
    failures < free ? 0 : Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (failures - free))

  return {
    check(account, address) {
      const t = now()
      const state = livePair(pairKey(account, address), t)
      if (!state) return { ok: true }
      const free = underAttack(account, t) ? Math.min(1, opts.freeFailures) : opts.freeFailures
      const until = state.lastAt + delayAfter(state.failures, free)
      return t < until ? { ok: false, retryAfterMs: until - t } : { ok: true }
    },

    failed(account, address) {
      const t = now()
      const key = pairKey(account, address)
      const state = livePair(key, t)
      touch(pairs, key, { failures: (state?.failures ?? 0) + 1, lastAt: t })
      const times = recent.get(account) ?? []
      times.push(t)
      if (times.length > opts.accountCeiling) times.shift()
      touch(recent, account, times)
    },

    succeeded(account, address) {
      pairs.delete(pairKey(account, address))
    },
  }
}
