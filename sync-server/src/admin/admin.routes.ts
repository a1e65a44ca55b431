import {
  AccountParamsSchema,
  AdminAccountsQuerySchema,
  ERROR_CODES,
  InstanceSettingsBodySchema,
} from '@taskflow/api'
import { Hono } from 'hono'
import { createMiddleware } from 'hono/factory'
import { type AuthEnv, requireAuth } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import { AppError } from '../http/app-error.js'
import { NoQuerySchema, validate } from '../http/validate.js'
import type { AdminService } from './admin.service.js'

/** `/admin/*` under `/api/v1`: 401 signed out, 403 for anyone but an instance admin. */
export function adminRoutes(auth: AuthService, admin: AdminService): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const noQuery = validate('query', NoQuerySchema)
  const adminOnly = createMiddleware<AuthEnv>(async (c, next) => {
    if (!auth.isAdmin(c.var.user)) {
      throw new AppError(403, ERROR_CODES.forbidden, 'Only an instance admin may do this')
    }
    await next()
  })
  app.use('/admin/*', requireAuth(auth), adminOnly)

  app.get('/admin/accounts', validate('query', AdminAccountsQuerySchema), async (c) => {
    const q = c.req.valid('query')
    return c.json(await admin.listAccounts({ after: q.after, limit: q.limit ?? 50 }))
  })

  app.post(
    '/admin/accounts/:id/disable',
    noQuery,
    validate('param', AccountParamsSchema),
    async (c) => c.json(await admin.disable(c.var.user, c.req.valid('param').id)),
  )

  app.post(
    '/admin/accounts/:id/enable',
    noQuery,
    validate('param', AccountParamsSchema),
    async (c) => c.json(await admin.enable(c.var.user, c.req.valid('param').id)),
  )

  app.get('/admin/settings', noQuery, async (c) => c.json(await admin.settings()))

  app.put('/admin/settings', noQuery, validate('json', InstanceSettingsBodySchema), async (c) =>
    c.json(await admin.updateSettings(c.req.valid('json'))),
  )

  app.post('/admin/test-email', noQuery, async (c) =>
    c.json(await admin.sendTestEmail(c.var.user), 202),
  )

  app.get('/admin/health', noQuery, async (c) => c.json(await admin.health()))

  return app
}
