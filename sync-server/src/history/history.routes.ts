import {
  HistoryChangesQuerySchema,
  IdempotencyHeadersSchema,
  ProjectParamsSchema,
  RestoreBodySchema,
  TaskHistoryQuerySchema,
  TaskParamsSchema,
} from '@taskflow/api'
import { Hono } from 'hono'
import { type AuthEnv, requireAuth } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import { NoQuerySchema, validate } from '../http/validate.js'
import { projectRoles } from '../projects/require-role.js'
import { idempotency } from '../tasks/idempotency.js'
import type { HistoryService } from './history.service.js'

/** Board history under `/api/v1` (docs/api.md "History"): viewers read, members restore. */
export function historyRoutes(
  auth: AuthService,
  history: HistoryService,
  db: Db,
  now: Clock,
): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const signedIn = requireAuth(auth)
  const requireRole = projectRoles(db)

  app.get(
    '/projects/:id/tasks/:taskId/history',
    validate('query', TaskHistoryQuerySchema),
    signedIn,
    validate('param', TaskParamsSchema),
    requireRole('viewer'),
    async (c) => {
      const { id, taskId } = c.req.valid('param')
      return c.json(await history.taskHistory(id, taskId, c.req.valid('query')))
    },
  )

  app.get(
    '/projects/:id/history/changes',
    validate('query', HistoryChangesQuerySchema),
    signedIn,
    validate('param', ProjectParamsSchema),
    requireRole('viewer'),
    async (c) => c.json(await history.changes(c.req.valid('param').id, c.req.valid('query'))),
  )

  app.post(
    '/projects/:id/history/restore',
    validate('query', NoQuerySchema),
    signedIn,
    validate('param', ProjectParamsSchema),
    requireRole('member', { refuseArchived: true }),
    validate('header', IdempotencyHeadersSchema),
    idempotency(db, now),
    validate('json', RestoreBodySchema),
    async (c) =>
      c.json(await history.restore(c.req.valid('param').id, c.var.user.id, c.req.valid('json'))),
  )

  return app
}
