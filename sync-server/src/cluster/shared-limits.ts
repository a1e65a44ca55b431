import { Redis } from 'ioredis'
import type { Config } from '../config.js'

/** Where limits every node counts alike keep their state (TASKFLOW_REDIS_URL). */
export interface SharedLimits {
  redis: Redis
  /** Prefix of every key, ending with `:`. */
  prefix: string
}

// Rate limits are built where they are used (auth, projects, SSO, API tokens), each from
// the config: one Redis connection per config, so those places need no extra wiring.
const byConfig = new WeakMap<Config, SharedLimits>()

/** The shared store of a config with TASKFLOW_REDIS_URL; undefined for one node (in memory). */
export function sharedLimitsFor(config: Config): SharedLimits | undefined {
  const url = config.TASKFLOW_REDIS_URL
  if (!url) return undefined
  let shared = byConfig.get(config)
  if (!shared) {
    const redis = new Redis(url, {
      // A limit that cannot be read fails its request (enforced as an error), never hangs it.
      maxRetriesPerRequest: 1,
      retryStrategy: (times: number) => Math.min(times * 100, 1000),
    })
    redis.on('error', () => {
      // Reported by the requests that fail and by /readyz.
    })
    shared = { redis, prefix: `${config.TASKFLOW_REDIS_PREFIX}:limits:` }
    byConfig.set(config, shared)
  }
  return shared
}

/** Closes the config's connection, if one was opened (server shutdown). */
export async function closeSharedLimits(config: Config): Promise<void> {
  const shared = byConfig.get(config)
  if (!shared) return
  byConfig.delete(config)
  await shared.redis.quit().catch(() => shared.redis.disconnect())
}
