import { ApiTokenParamsSchema, CreateApiTokenBodySchema } from '@taskflow/api'
import { Hono } from 'hono'
import { type AuthEnv, requireAuth } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import { NoQuerySchema, validate } from '../http/validate.js'
import type { ApiTokensService } from './api-tokens.service.js'

/**
 * `/me/tokens*`, mounted under `/api/v1`. Signed-in sessions only: the token policy refuses
 * these routes to API tokens (a token cannot mint or revoke tokens).
 */
export function apiTokensRoutes(auth: AuthService, service: ApiTokensService): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const signedIn = requireAuth(auth)
  const noQuery = validate('query', NoQuerySchema)

  app.get('/me/tokens', noQuery, signedIn, async (c) =>
    c.json({ tokens: await service.list(c.var.user.id) }),
  )

  app.post('/me/tokens', noQuery, signedIn, validate('json', CreateApiTokenBodySchema), async (c) =>
    c.json(await service.create(c.var.user.id, c.req.valid('json')), 201),
  )

  app.delete(
    '/me/tokens/:id',
    noQuery,
    signedIn,
    validate('param', ApiTokenParamsSchema),
    async (c) => {
      await service.revoke(c.var.user.id, c.req.valid('param').id)
      return c.body(null, 204)
    },
  )

  return app
}
