import type { Clock } from '../clock.js'

/**
 * In-memory sliding-window log: at most `limit` hits per key in any `windowMs`. Enough for
 * one process; a multi-node deployment would move this to Redis behind the same interface.
 */
export interface RateLimiter {
  /** Records a hit unless the key is over its limit; `retryAfterMs` says when to retry. */
  hit(key: string): RateResult
  /** Like `hit` without recording (e.g. check failures before verifying a password). */
  peek(key: string): RateResult
  /** Forgets a key (e.g. failed logins after a successful one). */
  clear(key: string): void
}
export type RateResult = { ok: true } | { ok: false; retryAfterMs: number }

export interface RateLimitOptions {
  limit: number
  windowMs: number
  now: Clock
}

// Past this many keys, expired ones are swept so a flood of distinct keys cannot grow memory.
const SWEEP_AT = 10_000

export function createRateLimiter({ limit, windowMs, now }: RateLimitOptions): RateLimiter {
  const hits = new Map<string, number[]>()

  const live = (key: string, t: number): number[] => {
    const list = hits.get(key)
    if (!list) return []
    while (list.length > 0 && list[0]! <= t - windowMs) list.shift()
    if (list.length === 0) hits.delete(key)
    return list
  }

  const verdict = (list: number[], t: number): RateResult =>
    list.length < limit ? { ok: true } : { ok: false, retryAfterMs: list[0]! + windowMs - t }

  const sweep = (t: number) => {
    for (const key of [...hits.keys()]) live(key, t)
  }

  return {
    peek(key) {
      const t = now()
      return verdict(live(key, t), t)
    },
    hit(key) {
      const t = now()
      const list = live(key, t)
      const result = verdict(list, t)
      if (result.ok) {
        if (list.length === 0) {
          if (hits.size >= SWEEP_AT) sweep(t)
          hits.set(key, list)
        }
        list.push(t)
      }
      return result
    },
    clear(key) {
      hits.delete(key)
    },
  }
}
