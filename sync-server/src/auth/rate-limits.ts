import { createRateLimiter, type RateLimiter } from './rate-limit.js'

const MIN = 60_000

/**
 * Limits of the credential endpoints. Per-IP limits slow down spraying many accounts;
 * per-account limits slow down guessing one account's password from many IPs.
 */
export const AUTH_LIMITS = {
  loginPerIp: { limit: 30, windowMs: 10 * MIN },
  /** Counts failed logins only, so a user who types correctly is never locked out by volume. */
  loginFailuresPerAccount: { limit: 10, windowMs: 15 * MIN },
  registerPerIp: { limit: 20, windowMs: 60 * MIN },
  resetRequestPerIp: { limit: 10, windowMs: 60 * MIN },
  resetRequestPerAccount: { limit: 3, windowMs: 60 * MIN },
  resetConfirmPerIp: { limit: 20, windowMs: 60 * MIN },
} as const

export type AuthLimiters = Record<keyof typeof AUTH_LIMITS, RateLimiter>

export function createAuthLimiters(now: () => number): AuthLimiters {
  const entries = Object.entries(AUTH_LIMITS).map(([k, v]) => [k, createRateLimiter({ ...v, now })])
  return Object.fromEntries(entries) as AuthLimiters
}
