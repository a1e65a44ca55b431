import { randomUUID } from 'node:crypto'
import type { LoginThrottle, LoginThrottleOptions } from '../auth/login-throttle.js'
import type { RateLimiter, RateLimitOptions, RateResult } from '../auth/rate-limit.js'
import type { SharedLimits } from './shared-limits.js'

// A sliding-window log in a sorted set (score = hit time), checked and recorded in one
// script so two nodes cannot both take the last hit. Same rule as the in-memory limiter:
// a hit older than windowMs is gone; refused hits are not recorded.
const SLIDING_WINDOW = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now
end
if ARGV[4] == '1' then
  redis.call('ZADD', KEYS[1], now, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], window)
end
return 0`

/** The sliding-window limiter with its state in Redis: every node counts the same hits. */
export function createRedisRateLimiter(
  shared: SharedLimits,
  name: string,
  { limit, windowMs, now }: RateLimitOptions,
): RateLimiter {
  const keyOf = (key: string) => `${shared.prefix}${name}:${key}`
  const run = async (key: string, record: boolean): Promise<RateResult> => {
    const wait = Number(
      await shared.redis.eval(
        SLIDING_WINDOW,
        1,
        keyOf(key),
        now(),
        windowMs,
        limit,
        record ? '1' : '0',
        randomUUID(),
      ),
    )
    return wait > 0 ? { ok: false, retryAfterMs: wait } : { ok: true }
  }
  return {
    hit: (key) => run(key, true),
    peek: (key) => run(key, false),
    clear: async (key) => {
      await shared.redis.del(keyOf(key))
    },
  }
}

/**
 * The login throttle (login-throttle.ts, same rules) with its state in Redis: a hash per
 * (account, address) with its failures and last failure, and per account a sorted set of
 * its latest failures. Each step is one atomic command, so concurrent failures on
 * different nodes all count.
 */
export function createRedisLoginThrottle(
  shared: SharedLimits,
  opts: LoginThrottleOptions,
): LoginThrottle & {
  check(account: string, address: string): Promise<RateResult>
  failed(account: string, address: string): Promise<void>
  succeeded(account: string, address: string): Promise<void>
} {
  const { now } = opts
  const pairKey = (account: string, address: string) =>
    `${shared.prefix}login:pair:${account}\n${address}`
  const accountKey = (account: string) => `${shared.prefix}login:account:${account}`
  const delayAfter = (failures: number, free: number): number =>
    failures < free ? 0 : Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (failures - free))

  return {
    async check(account, address) {
      const t = now()
      const [pair, oldest] = await Promise.all([
        shared.redis.hmget(pairKey(account, address), 'failures', 'lastAt'),
        // The account's failures within the window, oldest of the latest `accountCeiling`.
        shared.redis.zcount(accountKey(account), t - opts.accountWindowMs + 1, '+inf'),
      ])
      const failures = Number(pair[0] ?? 0)
      const lastAt = Number(pair[1] ?? 0)
      if (failures === 0 || t - lastAt >= opts.forgetAfterMs) return { ok: true }
      const underAttack = oldest >= opts.accountCeiling
      const free = underAttack ? Math.min(1, opts.freeFailures) : opts.freeFailures
      const until = lastAt + delayAfter(failures, free)
      return t < until ? { ok: false, retryAfterMs: until - t } : { ok: true }
    },

    async failed(account, address) {
      const t = now()
      const pair = pairKey(account, address)
      const acct = accountKey(account)
      const lastAt = Number(await shared.redis.hget(pair, 'lastAt'))
      const m = shared.redis.multi()
      // Forgotten after forgetAfterMs without a failure, as in memory.
      if (lastAt && t - lastAt >= opts.forgetAfterMs) m.del(pair)
      m.hincrby(pair, 'failures', 1)
        .hset(pair, 'lastAt', t)
        .pexpire(pair, opts.forgetAfterMs)
        .zadd(acct, t, `${t}:${randomUUID()}`)
        .zremrangebyrank(acct, 0, -(opts.accountCeiling + 1))
        .pexpire(acct, opts.accountWindowMs)
      await m.exec()
    },

    async succeeded(account, address) {
      await shared.redis.del(pairKey(account, address))
    },
  }
}
