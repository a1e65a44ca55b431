import { ProjectParamsSchema } from '@taskflow/api'
import { Hono } from 'hono'
import { type AuthEnv, requireAuth } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import type { Db } from '../db/database.js'
import { NoQuerySchema, validate } from '../http/validate.js'
import type { AuthorsService } from './authors.service.js'
import { projectRoles } from './require-role.js'

/** `GET /projects/:id/authors`, mounted under `/api/v1`. */
export function authorsRoutes(auth: AuthService, authors: AuthorsService, db: Db): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.get(
    '/projects/:id/authors',
    validate('query', NoQuerySchema),
    requireAuth(auth),
    validate('param', ProjectParamsSchema),
    projectRoles(db)('viewer'),
    async (c) => c.json(await authors.list(c.req.valid('param').id)),
  )
  return app
}
