import {
  PersonalViewDeleteQuerySchema,
  PersonalViewParamsSchema,
  PersonalViewPutSchema,
  PersonalViewsQuerySchema,
} from '@taskflow/api'
import { Hono } from 'hono'
import { type AuthEnv, requireAuth } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import { NoQuerySchema, validate } from '../http/validate.js'
import type { PersonalViewsService } from './personal-views.service.js'

/** `/me/views` under `/api/v1`: the signed-in user's own views (closed to API tokens by the token policy). */
export function personalViewsRoutes(auth: AuthService, views: PersonalViewsService): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.get('/me/views', requireAuth(auth), validate('query', PersonalViewsQuerySchema), async (c) =>
    c.json(await views.list(c.var.user.id, c.req.valid('query').projectId)),
  )
  app.put(
    '/me/views/:viewId',
    requireAuth(auth),
    validate('param', PersonalViewParamsSchema),
    validate('query', NoQuerySchema),
    validate('json', PersonalViewPutSchema),
    async (c) =>
      c.json(await views.put(c.var.user.id, c.req.valid('param').viewId, c.req.valid('json'))),
  )
  app.delete(
    '/me/views/:viewId',
    requireAuth(auth),
    validate('param', PersonalViewParamsSchema),
    validate('query', PersonalViewDeleteQuerySchema),
    async (c) => {
      await views.remove(c.var.user.id, c.req.valid('param').viewId, c.req.valid('query').updatedAt)
      return c.body(null, 204)
    },
  )
  return app
}
