import { SearchQuerySchema } from '@taskflow/api'
import { Hono } from 'hono'
import { type AuthEnv, requireAuth, tokenProjectLimit } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import { validate } from '../http/validate.js'
import type { SearchService } from './search.service.js'

/** `GET /search` under `/api/v1`: any signed-in user, over the projects they can read. */
export function searchRoutes(auth: AuthService, search: SearchService): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  app.get('/search', requireAuth(auth), validate('query', SearchQuerySchema), async (c) => {
    const query = c.req.valid('query')
    return c.json(
      await search.search({
        userId: c.var.user.id,
        q: query.q,
        projectId: query.projectId,
        limit: query.limit,
        tokenProjects: tokenProjectLimit(c),
      }),
    )
  })
  return app
}
