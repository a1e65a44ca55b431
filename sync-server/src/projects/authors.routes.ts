import { Hono } from 'hono'
import { z } from 'zod'
import { type AuthEnv, requireAuth } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import { NoQuerySchema, validate } from '../http/validate.js'
import type { AuthorsService } from './authors.service.js'

const ProjectParams = z.object({ id: z.uuid() }).strict()

/** `GET /projects/:id/authors`, mounted under `/api/v1`. */
export function authorsRoutes(auth: AuthService, authors: AuthorsService): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.get(
    '/projects/:id/authors',
    validate('query', NoQuerySchema),
    requireAuth(auth),
    validate('param', ProjectParams),
    async (c) => c.json(await authors.list(c.req.valid('param').id, c.var.user.id)),
  )
  return app
}
