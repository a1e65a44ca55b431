import {
  CreateWebhookBodySchema,
  ListDeliveriesQuerySchema,
  UpdateWebhookBodySchema,
} from '@taskflow/api'
import { Hono } from 'hono'
import { z } from 'zod'
import { type AuthEnv, requireAuth } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import { NoQuerySchema, validate } from '../http/validate.js'
import type { WebhooksService } from './webhooks.service.js'

const ProjectParams = z.object({ id: z.uuid() }).strict()
const HookParams = z.object({ id: z.uuid(), hookId: z.uuid() }).strict()
const DeliveryParams = z.object({ id: z.uuid(), hookId: z.uuid(), deliveryId: z.uuid() }).strict()

/** `/projects/:id/webhooks*` under `/api/v1`: project admins and owners. */
export function webhooksRoutes(auth: AuthService, webhooks: WebhooksService): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const signedIn = requireAuth(auth)
  const noQuery = validate('query', NoQuerySchema)
  const project = validate('param', ProjectParams)
  const hook = validate('param', HookParams)
  const base = '/projects/:id/webhooks'

  app.get(base, noQuery, signedIn, project, async (c) =>
    c.json(await webhooks.list(c.req.valid('param').id, c.var.user.id)),
  )

  app.post(base, noQuery, signedIn, project, validate('json', CreateWebhookBodySchema), async (c) =>
    c.json(await webhooks.create(c.req.valid('param').id, c.var.user.id, c.req.valid('json')), 201),
  )

  app.patch(
    `${base}/:hookId`,
    noQuery,
    signedIn,
    hook,
    validate('json', UpdateWebhookBodySchema),
    async (c) => {
      const { id, hookId } = c.req.valid('param')
      return c.json(await webhooks.update(id, c.var.user.id, hookId, c.req.valid('json')))
    },
  )

  app.delete(`${base}/:hookId`, noQuery, signedIn, hook, async (c) => {
    const { id, hookId } = c.req.valid('param')
    await webhooks.remove(id, c.var.user.id, hookId)
    return c.body(null, 204)
  })

  app.post(`${base}/:hookId/rotate-secret`, noQuery, signedIn, hook, async (c) => {
    const { id, hookId } = c.req.valid('param')
    return c.json(await webhooks.rotateSecret(id, c.var.user.id, hookId))
  })

  app.get(
    `${base}/:hookId/deliveries`,
    validate('query', ListDeliveriesQuerySchema),
    signedIn,
    hook,
    async (c) => {
      const { id, hookId } = c.req.valid('param')
      const q = c.req.valid('query')
      return c.json(
        await webhooks.deliveries(id, c.var.user.id, hookId, {
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
    validate('param', DeliveryParams),
    async (c) => {
      const { id, hookId, deliveryId } = c.req.valid('param')
      return c.json(await webhooks.redeliver(id, c.var.user.id, hookId, deliveryId), 202)
    },
  )

  return app
}
