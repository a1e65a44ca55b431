import { Hono } from 'hono'
import { z } from 'zod'
import { type AuthEnv, requireAuth } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import { validate } from '../http/validate.js'
import type { ActivityService } from './activity.service.js'

const ProjectParams = z.object({ id: z.uuid() }).strict()
const ActivityQuery = z
  .object({
    taskId: z.string().min(1).max(64).optional(),
    userId: z.uuid().optional(),
    before: z
      .string()
      .regex(/^[1-9][0-9]{0,14}$/, 'a cursor from nextBefore')
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict()

/** `GET /projects/:id/activity` under `/api/v1`: members and viewers. */
export function activityRoutes(auth: AuthService, activity: ActivityService): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.get(
    '/projects/:id/activity',
    requireAuth(auth),
    validate('param', ProjectParams),
    validate('query', ActivityQuery),
    async (c) => {
      const q = c.req.valid('query')
      return c.json(
        await activity.list(c.req.valid('param').id, c.var.user.id, {
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
