import { ActivityQuerySchema, ProjectParamsSchema } from '@taskflow/api'
import { Hono } from 'hono'
import { type AuthEnv, requireAuth } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import type { Db } from '../db/database.js'
import { validate } from '../http/validate.js'
import { projectRoles } from '../projects/require-role.js'
import type { ActivityService } from './activity.service.js'

/** `GET /projects/:id/activity` under `/api/v1`: members and viewers. */
export function activityRoutes(
  auth: AuthService,
  activity: ActivityService,
  db: Db,
): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.get(
    '/projects/:id/activity',
    requireAuth(auth),
    validate('param', ProjectParamsSchema),
    projectRoles(db)('viewer'),
    validate('query', ActivityQuerySchema),
    async (c) => {
      const q = c.req.valid('query')
      return c.json(
        await activity.list(c.req.valid('param').id, {
          taskId: q.taskId,
          userId: q.userId,
          before: q.before === undefined ? undefined : Number(q.before),
          limit: q.limit ?? 50,
        }),
      )
    },
  )
  return app
}
