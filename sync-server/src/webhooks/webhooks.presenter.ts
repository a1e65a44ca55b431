import type { Delivery, Webhook, WebhookEventType } from '@taskflow/api'
import type { AttemptRow, DeliveryRow, WebhookRow } from './webhooks.repository.js'

const iso = (ms: number) => new Date(ms).toISOString()

export function toWebhook(row: WebhookRow, now: number): Webhook {
  const rotating =
    row.previous_secret !== null &&
    row.previous_secret_expires_at !== null &&
    row.previous_secret_expires_at > now
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as WebhookEventType[],
    description: row.description,
    enabled: row.enabled === 1,
    disabledReason: row.disabled_reason,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    previousSecretExpiresAt: rotating ? iso(row.previous_secret_expires_at!) : null,
  }
}

export function toDelivery(row: DeliveryRow, attempts: readonly AttemptRow[]): Delivery {
  return {
    id: row.id,
    messageId: messageIdOf(row.id),
    event: row.event_type as WebhookEventType,
    status: row.status,
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      at: iso(a.at),
      responseStatus: a.response_status,
      durationMs: a.duration_ms,
      error: a.error,
    })),
    nextAttemptAt:
      row.status === 'pending' && row.next_attempt_at !== null ? iso(row.next_attempt_at) : null,
    createdAt: iso(row.created_at),
    payload: JSON.parse(row.payload),
  }
}

/** The `webhook-id` of a delivery: stable across retries and redeliveries. */
export function messageIdOf(deliveryId: string): string {
  return `msg_${deliveryId.replaceAll('-', '')}`
}
