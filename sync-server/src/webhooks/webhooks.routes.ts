import {
  CreateWebhookBodySchema,
  DeliveryParamsSchema,
  ListDeliveriesQuerySchema,
  ProjectParamsSchema,
  UpdateWebhookBodySchema,
  WebhookParamsSchema,
} from '@taskflow/api'
import { Hono } from 'hono'
import { type AuthEnv, requireAuth } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import type { Db } from '../db/database.js'
import { NoQuerySchema, validate } from '../http/validate.js'
import { projectRoles } from '../projects/require-role.js'
import type { WebhooksService } from './webhooks.service.js'

/** `/projects/:id/webhooks*` under `/api/v1`: project admins and owners. */
export function webhooksRoutes(
  auth: AuthService,
  webhooks: WebhooksService,
  db: Db,
): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const signedIn = requireAuth(auth)
  const noQuery = validate('query', NoQuerySchema)
  const project = validate('param', ProjectParamsSchema)
  const hook = validate('param', WebhookParamsSchema)
  const base = '/projects/:id/webhooks'
  // Webhooks are the project's integrations, not its board: kept manageable while archived.
  const admin = projectRoles(db)('admin')

  app.get(base, noQuery, signedIn, project, admin, async (c) =>
    c.json(await webhooks.list(c.req.valid('param').id)),
  )

  app.post(
    base,
    noQuery,
    signedIn,
    project,
    admin,
    validate('json', CreateWebhookBodySchema),
    async (c) =>
      c.json(
        await webhooks.create(c.req.valid('param').id, c.var.user.id, c.req.valid('json')),
        201,
      ),
  )

  app.patch(
    `${base}/:hookId`,
    noQuery,
    signedIn,
    hook,
    admin,
    validate('json', UpdateWebhookBodySchema),
    async (c) => {
      const { id, hookId } = c.req.valid('param')
      return c.json(await webhooks.update(id, hookId, c.req.valid('json')))
    },
  )

  app.delete(`${base}/:hookId`, noQuery, signedIn, hook, admin, async (c) => {
    const { id, hookId } = c.req.valid('param')
    await webhooks.remove(id, hookId)
    return c.body(null, 204)
  })

  app.post(`${base}/:hookId/rotate-secret`, noQuery, signedIn, hook, admin, async (c) => {
    const { id, hookId } = c.req.valid('param')
    return c.json(await webhooks.rotateSecret(id, hookId))
  })

  app.get(
    `${base}/:hookId/deliveries`,
    validate('query', ListDeliveriesQuerySchema),
    signedIn,
    hook,
    admin,
    async (c) => {
      const { id, hookId } = c.req.valid('param')
      const q = c.req.valid('query')
      return c.json(
        await webhooks.deliveries(id, hookId, {
          before: q.before === undefined ? undefined : Number(q.before),
          limit: q.limit ?? 50,
        }),
      )
    },
  )

  app.post(
    `${base}/:hookId/deliveries/:deliveryId/redeliver`,
    noQuery,
    signedIn,
    validate('param', DeliveryParamsSchema),
    admin,
    async (c) => {
      const { id, hookId, deliveryId } = c.req.valid('param')
      return c.json(await webhooks.redeliver(id, hookId, deliveryId), 202)
    },
  )

  return app
}
