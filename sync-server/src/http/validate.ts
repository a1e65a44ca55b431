import { zValidator } from '@hono/zod-validator'
import { ERROR_CODES, NoQuerySchema } from '@taskflow/api'
import type { ValidationTargets } from 'hono'
import type { z } from 'zod'
import { AppError } from './app-error.js'

/**
 * `zValidator` whose failures become `AppError(400, validation_failed)` naming the first
 * bad field. Values are never echoed back (they may be passwords or tokens).
 * Malformed JSON is rejected earlier by Hono (400 bad_request).
 */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issue = result.error.issues[0]
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : ''
      throw new AppError(
        400,
        ERROR_CODES.validation,
        `Invalid ${target}: ${where}${issue?.message ?? 'invalid'}`,
      )
    }
  })
}

/** Request schemas live in `@taskflow/api` (the route registry); re-exported for routes. */
export { NoQuerySchema }
