import { AwayQuerySchema, ProjectParamsSchema } from '@taskflow/api'
import { Hono } from 'hono'
import { type AuthEnv, requireAuth } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import type { Db } from '../db/database.js'
import { NoQuerySchema, validate } from '../http/validate.js'
import { projectRoles } from '../projects/require-role.js'
import type { AwayService } from './away.service.js'

/** `PUT /projects/:id/visit` and `GET /projects/:id/away` under `/api/v1`: members and viewers. */
export function awayRoutes(auth: AuthService, away: AwayService, db: Db): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const viewer = projectRoles(db)('viewer')
  app.put(
    '/projects/:id/visit',
    requireAuth(auth),
    validate('param', ProjectParamsSchema),
    viewer,
    validate('query', NoQuerySchema),
    async (c) => c.json(await away.visit(c.req.valid('param').id, c.var.user.id)),
  )
  app.get(
    '/projects/:id/away',
    requireAuth(auth),
    validate('param', ProjectParamsSchema),
    viewer,
    validate('query', AwayQuerySchema),
    async (c) =>
      c.json(await away.summary(c.req.valid('param').id, c.var.user.id, c.req.valid('query'))),
  )
  return app
}
