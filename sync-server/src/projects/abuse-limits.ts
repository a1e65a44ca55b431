import { type RateLimiter, rateLimiter } from '../auth/rate-limit.js'
import type { Config } from '../config.js'

const HOUR = 3_600_000

/**
 * Limits on actions that cost the server or reach people outside the project: creating
 * projects, and adding members or inviting addresses (each one sends an e-mail carrying
 * a project name someone chose). Sizes come from config (`docs/operations.md`).
 */
export interface AbuseLimits {
  /** Keyed by user id. */
  projectCreates: RateLimiter
  /** Keyed by user id. */
  invitesPerAccount: RateLimiter
  /** Keyed by project id. */
  invitesPerProject: RateLimiter
}

export function createAbuseLimits(config: Config, now: () => number): AbuseLimits {
  return {
    projectCreates: rateLimiter(config, 'projects.creates', {
      limit: config.TASKFLOW_PROJECTS_PER_HOUR,
      windowMs: HOUR,
      now,
    }),
    invitesPerAccount: rateLimiter(config, 'projects.invitesPerAccount', {
      limit: config.TASKFLOW_INVITES_PER_HOUR,
      windowMs: HOUR,
      now,
    }),
    invitesPerProject: rateLimiter(config, 'projects.invitesPerProject', {
      limit: config.TASKFLOW_INVITES_PER_PROJECT_PER_DAY,
      windowMs: 24 * HOUR,
      now,
    }),
  }
}
