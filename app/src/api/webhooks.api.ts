import {
  type CreateWebhookBody,
  DeliveryListSchema,
  DeliverySchema,
  type UpdateWebhookBody,
  WebhookListSchema,
  WebhookSchema,
  WebhookWithSecretSchema,
} from '@taskflow/api'
import { apiRequest } from './client'
import { okSchema } from './schemas'

const hooksPath = (projectId: string) => `/projects/${encodeURIComponent(projectId)}/webhooks`
const hookPath = (projectId: string, hookId: string) =>
  `${hooksPath(projectId)}/${encodeURIComponent(hookId)}`

export const listWebhooks = (projectId: string) =>
  apiRequest(hooksPath(projectId), { schema: WebhookListSchema }).then((r) => r.webhooks)

/** The answer carries the signing secret: the only time it is shown. */
export const createWebhook = (projectId: string, body: CreateWebhookBody) =>
  apiRequest(hooksPath(projectId), { method: 'POST', body, schema: WebhookWithSecretSchema })

export const updateWebhook = (projectId: string, hookId: string, body: UpdateWebhookBody) =>
  apiRequest(hookPath(projectId, hookId), { method: 'PATCH', body, schema: WebhookSchema })

export const deleteWebhook = (projectId: string, hookId: string) =>
  apiRequest(hookPath(projectId, hookId), { method: 'DELETE', schema: okSchema })

export const rotateWebhookSecret = (projectId: string, hookId: string) =>
  apiRequest(`${hookPath(projectId, hookId)}/rotate-secret`, {
    method: 'POST',
    schema: WebhookWithSecretSchema,
  })

export const listDeliveries = (projectId: string, hookId: string) =>
  apiRequest(`${hookPath(projectId, hookId)}/deliveries`, { schema: DeliveryListSchema }).then(
    (r) => r.deliveries,
  )

export const redeliver = (projectId: string, hookId: string, deliveryId: string) =>
  apiRequest(
    `${hookPath(projectId, hookId)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`,
    { method: 'POST', schema: DeliverySchema },
  )
