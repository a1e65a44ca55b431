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

  app.get(
    '/projects/:id/tasks/:taskId/history',
    validate('query', TaskHistoryQuerySchema),
    signedIn,
    validate('param', TaskParamsSchema),
    async (c) => {
      const { id, taskId } = c.req.valid('param')
      return c.json(await history.taskHistory(id, c.var.user.id, taskId, c.req.valid('query')))
    },
  )

  app.get(
    '/projects/:id/history/changes',
    validate('query', HistoryChangesQuerySchema),
    signedIn,
    validate('param', ProjectParamsSchema),
    async (c) =>
      c.json(await history.changes(c.req.valid('param').id, c.var.user.id, c.req.valid('query'))),
  )

  app.post(
    '/projects/:id/history/restore',
    validate('query', NoQuerySchema),
    signedIn,
    validate('param', ProjectParamsSchema),
    validate('header', IdempotencyHeadersSchema),
    idempotency(db, now),
    validate('json', RestoreBodySchema),
    async (c) =>
      c.json(await history.restore(c.req.valid('param').id, c.var.user.id, c.req.valid('json'))),
  )

  return app
}
