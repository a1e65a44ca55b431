import { API_TOKEN_PREFIX, ApiTokenSecretSchema } from '@taskflow/api'
import { type RateResult, rateLimiter } from '../auth/rate-limit.js'
import { tokens } from '../auth/tokens.js'
import type { UserRow } from '../auth/users.repository.js'
import type { Clock } from '../clock.js'
import type { Config } from '../config.js'
import type { Db } from '../db/database.js'
import type { Logger } from '../logger.js'
import { type ApiTokenRow, findLiveApiToken, touchApiToken } from './api-tokens.repository.js'

/** `last_used_at` is written at most this often per token, not once per request. */
export const LAST_USED_EVERY_MS = 60_000

/** True for a string shaped like a personal API token (`tfp_…`), valid or not. */
export function isApiTokenSecret(token: string): boolean {
  return token.startsWith(API_TOKEN_PREFIX) && ApiTokenSecretSchema.safeParse(token).success
}

export interface ApiTokenAuth {
  /** The live token and its enabled owner; undefined for unknown, expired or revoked. */
  authenticate(secret: string): Promise<{ token: ApiTokenRow; user: UserRow } | undefined>
  /** Counts one request against the token's budget (`TASKFLOW_API_TOKEN_REQUESTS_PER_MINUTE`). */
  hit(tokenId: string): RateResult | Promise<RateResult>
}

export function createApiTokenAuth(deps: {
  db: Db
  now: Clock
  logger: Logger
  requestsPerMinute: number
  config: Config
}): ApiTokenAuth {
  const { db, now, logger } = deps
  // Per token, not per user: one busy integration cannot starve its owner's others.
  const limiter = rateLimiter(deps.config, 'apiTokens.requests', {
    limit: deps.requestsPerMinute,
    windowMs: 60_000,
    now,
  })
  return {
    async authenticate(secret) {
      // Hashed with plain SHA-256, not a password hash: the secret is 256 random bits, so
      // there is nothing to brute-force and a slow hash would only slow every API request.
      const found = await findLiveApiToken(db, tokens.hash(secret), now())
      if (!found) return undefined
      const t = now()
      const last = found.token.last_used_at
      if (last === null || last <= t - LAST_USED_EVERY_MS) {
        // Bookkeeping must not fail the request it describes.
        await touchApiToken(db, found.token.id, t, LAST_USED_EVERY_MS).catch((err: unknown) =>
          logger.warn('api token: recording last use failed', { err: String(err) }),
        )
      }
      return found
    },
    hit: (tokenId) => limiter.hit(tokenId),
  }
}
