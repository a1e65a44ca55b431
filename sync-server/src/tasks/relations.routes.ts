import {
  CreateRelationBodySchema,
  DeleteRelationQuerySchema,
  IdempotencyHeadersSchema,
  TaskParamsSchema,
} from '@taskflow/api'
import { Hono } from 'hono'
import { type AuthEnv, requireAuth } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import { NoQuerySchema, validate } from '../http/validate.js'
import { projectRoles } from '../projects/require-role.js'
import { idempotency } from './idempotency.js'
import type { RelationsService } from './relations.service.js'

/**
 * Relations of a task under `/api/v1` (docs/api.md "Relations"): viewers read, members
 * write. POST takes an `Idempotency-Key` like every task API POST.
 */
export function relationsRoutes(
  auth: AuthService,
  relations: RelationsService,
  db: Db,
  now: Clock,
): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const signedIn = requireAuth(auth)
  const task = validate('param', TaskParamsSchema)
  const path = '/projects/:id/tasks/:taskId/relations'
  const requireRole = projectRoles(db)
  const write = requireRole('member', { refuseArchived: true })

  app.get(
    path,
    validate('query', NoQuerySchema),
    signedIn,
    task,
    requireRole('viewer'),
    async (c) => {
      const { id, taskId } = c.req.valid('param')
      return c.json(await relations.list(id, taskId))
    },
  )

  app.post(
    path,
    validate('query', NoQuerySchema),
    signedIn,
    task,
    write,
    validate('header', IdempotencyHeadersSchema),
    idempotency(db, now),
    validate('json', CreateRelationBodySchema),
    async (c) => {
      const { id, taskId } = c.req.valid('param')
      const { relation, created } = await relations.add(
        id,
        c.var.user.id,
        taskId,
        c.req.valid('json'),
      )
      return c.json(relation, created ? 201 : 200)
    },
  )

  app.delete(
    path,
    signedIn,
    task,
    write,
    validate('query', DeleteRelationQuerySchema),
    async (c) => {
      const { id, taskId } = c.req.valid('param')
      await relations.remove(id, c.var.user.id, taskId, c.req.valid('query'))
      return c.body(null, 204)
    },
  )

  return app
}
