import { ERROR_CODES } from '@taskflow/api'
import type { Clock } from '../clock.js'
import { createRedisRateLimiter } from '../cluster/redis-rate-limit.js'
import { sharedLimitsFor } from '../cluster/shared-limits.js'
import type { Config } from '../config.js'
import { AppError } from '../http/app-error.js'

/**
 * Sliding-window log: at most `limit` hits per key in any `windowMs`. In memory for one
 * node; in Redis, shared by every node, with TASKFLOW_REDIS_URL (see `rateLimiter`).
 */
export interface RateLimiter {
  /** Records a hit unless the key is over its limit; `retryAfterMs` says when to retry. */
  hit(key: string): RateResult | Promise<RateResult>
  /** Like `hit` without recording (e.g. check failures before verifying a password). */
  peek(key: string): RateResult | Promise<RateResult>
  /** Forgets a key (e.g. failed logins after a successful one). */
  clear(key: string): void | Promise<void>
}

/** The in-memory limiter: answers at once. */
export interface MemoryRateLimiter extends RateLimiter {
  hit(key: string): RateResult
  peek(key: string): RateResult
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

/**
 * The limiter for `config`: in Redis under `name` (unique per limit) when several nodes
 * share the work (TASKFLOW_REDIS_URL), else in memory.
 */
export function rateLimiter(config: Config, name: string, opts: RateLimitOptions): RateLimiter {
  const shared = sharedLimitsFor(config)
  return shared ? createRedisRateLimiter(shared, name, opts) : createRateLimiter(opts)
}

export function createRateLimiter({ limit, windowMs, now }: RateLimitOptions): MemoryRateLimiter {
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

/**
 * Records one hit on each `[limiter, key]` if none of them is over its limit, else on none:
 * a request refused by one limit does not use up the others. Synchronous for in-memory
 * limiters, so concurrent requests cannot all pass a check before any of them counts
 * (shared limiters: each hit is atomic, the pair is not).
 */
export function hitAll(...checks: ReadonlyArray<readonly [MemoryRateLimiter, string]>): RateResult
export function hitAll(
  ...checks: ReadonlyArray<readonly [RateLimiter, string]>
): RateResult | Promise<RateResult>
export function hitAll(
  ...checks: ReadonlyArray<readonly [RateLimiter, string]>
): RateResult | Promise<RateResult> {
  const peeks = checks.map(([limiter, key]) => limiter.peek(key))
  const decide = (results: readonly RateResult[]): RateResult | null => {
    let wait = 0
    for (const r of results) if (!r.ok) wait = Math.max(wait, r.retryAfterMs)
    return wait > 0 ? { ok: false, retryAfterMs: wait } : null
  }
  if (peeks.every((p) => !(p instanceof Promise))) {
    const refused = decide(peeks as RateResult[])
    if (refused) return refused
    for (const [limiter, key] of checks) limiter.hit(key)
    return { ok: true }
  }
  return (async () => {
    const refused = decide(await Promise.all(peeks))
    if (refused) return refused
    await Promise.all(checks.map(([limiter, key]) => limiter.hit(key)))
    return { ok: true } as const
  })()
}

/** Throws 429 rate_limited with `Retry-After` (whole seconds, at least 1) for a refusal. */
export function enforce(result: RateResult, message = 'Too many attempts; try again later'): void {
  if (!result.ok) {
    const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000))
    throw new AppError(429, ERROR_CODES.rateLimited, message, { 'Retry-After': String(seconds) })
  }
}
