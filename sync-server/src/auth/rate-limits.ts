import { createRedisLoginThrottle } from '../cluster/redis-rate-limit.js'
import { sharedLimitsFor } from '../cluster/shared-limits.js'
import type { Config } from '../config.js'
import { createLoginThrottle, type LoginThrottle } from './login-throttle.js'
import { type RateLimiter, rateLimiter } from './rate-limit.js'

const MIN = 60_000

/**
 * Limits of the credential endpoints. Per-IP limits slow down spraying many accounts;
 * password guessing on one account is slowed by the login throttle (`login-throttle.ts`).
 */
export const AUTH_LIMITS = {
  loginPerIp: { limit: 30, windowMs: 10 * MIN },
  registerPerIp: { limit: 20, windowMs: 60 * MIN },
  resetRequestPerIp: { limit: 10, windowMs: 60 * MIN },
  resetRequestPerAccount: { limit: 3, windowMs: 60 * MIN },
  resetConfirmPerIp: { limit: 20, windowMs: 60 * MIN },
  /** Sign-up mails (verification links, "someone tried") sent to one address, known or not. */
  registerPerAddress: { limit: 5, windowMs: 60 * MIN },
  verifyEmailPerIp: { limit: 60, windowMs: 60 * MIN },
  verifyResendPerIp: { limit: 10, windowMs: 60 * MIN },
  verifyResendPerAccount: { limit: 3, windowMs: 60 * MIN },
} as const

export type AuthLimiters = Record<keyof typeof AUTH_LIMITS, RateLimiter> & {
  /** Wrong passwords per (account, address) and per account: logins and password changes. */
  passwordGuesses: LoginThrottle
}

export function createAuthLimiters(config: Config, now: () => number): AuthLimiters {
  const entries = Object.entries(AUTH_LIMITS).map(([k, v]) => [
    k,
    rateLimiter(config, `auth.${k}`, { ...v, now }),
  ])
  const throttle = {
    freeFailures: config.TASKFLOW_LOGIN_FREE_FAILURES,
    baseDelayMs: config.TASKFLOW_LOGIN_BACKOFF_BASE_SECONDS * 1000,
    maxDelayMs: config.TASKFLOW_LOGIN_BACKOFF_MAX_SECONDS * 1000,
    accountCeiling: config.TASKFLOW_LOGIN_ACCOUNT_CEILING,
    accountWindowMs: 15 * MIN,
    forgetAfterMs: 24 * 60 * MIN,
    now,
  }
  const shared = sharedLimitsFor(config)
  return {
    ...(Object.fromEntries(entries) as Record<keyof typeof AUTH_LIMITS, RateLimiter>),
    passwordGuesses: shared
      ? createRedisLoginThrottle(shared, throttle)
      : createLoginThrottle(throttle),
  }
}
