import { ProjectParamsSchema } from './projects.js'
import { defineRoute } from './registry.js'
import {
  CreateWebhookBodySchema,
  DeliveryListSchema,
  DeliveryParamsSchema,
  DeliverySchema,
  ListDeliveriesQuerySchema,
  UpdateWebhookBodySchema,
  WebhookListSchema,
  WebhookParamsSchema,
  WebhookSchema,
  WebhookWithSecretSchema,
} from './webhooks.js'

const tag = 'Webhooks'
const access = 'admin or owner'
const projectErrors = {
  403: 'Not a member, or not an admin or owner',
  404: 'Unknown project',
}
const hookErrors = { ...projectErrors, 404: 'Unknown project or webhook' }
const base = '/projects/:id/webhooks'

/** `/projects/:id/webhooks*`: Standard Webhooks endpoints of a project (docs/api.md, "Webhooks"). */
export const WEBHOOK_ROUTES = [
  defineRoute({
    method: 'get',
    path: base,
    tag,
    auth: 'token',
    access,
    summary: "A project's webhooks (never their secrets)",
    params: ProjectParamsSchema,
    responses: { 200: WebhookListSchema },
    errors: projectErrors,
  }),
  defineRoute({
    method: 'post',
    path: base,
    tag,
    auth: 'token',
    access,
    summary: 'Add a webhook; the answer is the only time its signing secret is shown',
    description:
      'A URL resolving to a loopback, private, link-local or metadata address is refused (400) unless the server runs with `TASKFLOW_WEBHOOK_ALLOW_PRIVATE=1`.',
    params: ProjectParamsSchema,
    body: CreateWebhookBodySchema,
    responses: { 201: { description: 'Created', schema: WebhookWithSecretSchema } },
    errors: projectErrors,
  }),
  defineRoute({
    method: 'patch',
    path: `${base}/:hookId`,
    tag,
    auth: 'token',
    access,
    summary: 'Change, enable or disable a webhook',
    params: WebhookParamsSchema,
    body: UpdateWebhookBodySchema,
    responses: { 200: WebhookSchema },
    errors: hookErrors,
  }),
  defineRoute({
    method: 'delete',
    path: `${base}/:hookId`,
    tag,
    auth: 'token',
    access,
    summary: 'Delete a webhook and its delivery log',
    params: WebhookParamsSchema,
    responses: { 204: { description: 'Deleted; no body' } },
    errors: hookErrors,
  }),
  defineRoute({
    method: 'post',
    path: `${base}/:hookId/rotate-secret`,
    tag,
    auth: 'token',
    access,
    summary: 'New signing secret; the previous one keeps signing for 24 hours',
    params: WebhookParamsSchema,
    responses: { 200: WebhookWithSecretSchema },
    errors: hookErrors,
  }),
  defineRoute({
    method: 'get',
    path: `${base}/:hookId/deliveries`,
    tag,
    auth: 'token',
    access,
    summary: "A webhook's delivery log, newest first",
    params: WebhookParamsSchema,
    query: ListDeliveriesQuerySchema,
    responses: { 200: DeliveryListSchema },
    errors: hookErrors,
  }),
  defineRoute({
    method: 'post',
    path: `${base}/:hookId/deliveries/:deliveryId/redeliver`,
    tag,
    auth: 'token',
    access,
    summary: 'Send a delivery again (queued now, same webhook-id)',
    params: DeliveryParamsSchema,
    responses: { 202: { description: 'Queued', schema: DeliverySchema } },
    errors: {
      ...hookErrors,
      404: 'Unknown project, webhook or delivery',
      409: 'The webhook is disabled: enable it first',
    },
  }),
]
