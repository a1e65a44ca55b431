import { randomUUID } from 'node:crypto'
import {
  type CreateWebhookBody,
  type DeliveryList,
  ERROR_CODES,
  type UpdateWebhookBody,
  type Webhook,
  type WebhookList,
  type WebhookWithSecret,
} from '@taskflow/api'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import { AppError } from '../http/app-error.js'
import { newSecret } from './signing.js'
import { type Lookup, resolveTarget } from './ssrf.js'
import { toDelivery, toWebhook } from './webhooks.presenter.js'
import {
  attemptsOf,
  deleteWebhook,
  findDelivery,
  findWebhook,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  updateWebhook,
  type WebhookRow,
} from './webhooks.repository.js'

/** How long a rotated-out secret keeps signing deliveries (receivers update in between). */
export const PREVIOUS_SECRET_TTL_MS = 24 * 3_600_000

export interface WebhooksServiceDeps {
  db: Db
  now: Clock
  /** TASKFLOW_WEBHOOK_ALLOW_PRIVATE: endpoints may resolve to internal addresses. */
  allowPrivate: boolean
  lookup?: Lookup
  /** Tells the delivery worker that a delivery became due (redelivery). */
  wake?: () => void
}

export type WebhooksService = ReturnType<typeof createWebhooksService>

/** Project webhooks: managed by project admins and owners. */
export function createWebhooksService(deps: WebhooksServiceDeps) {
  const { db, now } = deps

  async function requireSafeUrl(url: string): Promise<void> {
    const target = await resolveTarget(url, {
      allowPrivate: deps.allowPrivate,
      lookup: deps.lookup,
    })
    if (!target.ok) throw new AppError(400, ERROR_CODES.validation, `Invalid url: ${target.reason}`)
  }

  async function requireHook(projectId: string, hookId: string): Promise<WebhookRow> {
    const hook = await findWebhook(db, projectId, hookId)
    if (!hook) throw new AppError(404, ERROR_CODES.notFound, 'Webhook not found')
    return hook
  }

  return {
    async list(projectId: string): Promise<WebhookList> {
      const t = now()
      return { webhooks: (await listWebhooks(db, projectId)).map((r) => toWebhook(r, t)) }
    },

    async create(
      projectId: string,
      userId: string,
      input: CreateWebhookBody,
    ): Promise<WebhookWithSecret> {
      await requireSafeUrl(input.url)
      const t = now()
      const row: WebhookRow = {
        id: randomUUID(),
        project_id: projectId,
        url: input.url,
        events: JSON.stringify(input.events),
        description: input.description ?? '',
        enabled: 1,
        disabled_reason: null,
        secret: newSecret(),
        previous_secret: null,
        previous_secret_expires_at: null,
        created_by: userId,
        created_at: t,
        updated_at: t,
      }
      await insertWebhook(db, row)
      return { ...toWebhook(row, t), secret: row.secret }
    },

    async update(projectId: string, hookId: string, input: UpdateWebhookBody): Promise<Webhook> {
      const hook = await requireHook(projectId, hookId)
      if (input.url !== undefined) await requireSafeUrl(input.url)
      const t = now()
      const patch: Parameters<typeof updateWebhook>[2] = { updated_at: t }
      if (input.url !== undefined) patch.url = input.url
      if (input.events !== undefined) patch.events = JSON.stringify(input.events)
      if (input.description !== undefined) patch.description = input.description
      if (input.enabled !== undefined) {
        patch.enabled = input.enabled ? 1 : 0
        patch.disabled_reason = null
      }
      await updateWebhook(db, hook.id, patch)
      // Re-enabled: what waited meanwhile is due again.
      if (input.enabled) deps.wake?.()
      return toWebhook((await findWebhook(db, projectId, hookId))!, t)
    },

    async remove(projectId: string, hookId: string): Promise<void> {
      if (!(await deleteWebhook(db, projectId, hookId))) {
        throw new AppError(404, ERROR_CODES.notFound, 'Webhook not found')
      }
    },

    /** A new secret; the old one keeps signing (second signature) for 24 hours. */
    async rotateSecret(projectId: string, hookId: string): Promise<WebhookWithSecret> {
      const hook = await requireHook(projectId, hookId)
      const t = now()
      const secret = newSecret()
      await updateWebhook(db, hook.id, {
        secret,
        previous_secret: hook.secret,
        previous_secret_expires_at: t + PREVIOUS_SECRET_TTL_MS,
        updated_at: t,
      })
      return { ...toWebhook((await findWebhook(db, projectId, hookId))!, t), secret }
    },

    async deliveries(
      projectId: string,
      hookId: string,
      q: { before?: number; limit: number },
    ): Promise<DeliveryList> {
      const hook = await requireHook(projectId, hookId)
      const rows = await listDeliveries(db, hook.id, q)
      const attempts = await attemptsOf(
        db,
        rows.map((r) => r.id),
      )
      const last = rows.at(-1)
      return {
        deliveries: rows.map((r) =>
          toDelivery(
            r,
            attempts.filter((a) => a.delivery_id === r.id),
          ),
        ),
        nextBefore: rows.length === q.limit && last ? String(last.seq) : null,
      }
    },

    /**
     * Sends a delivery again now, whatever its state, with the same `webhook-id` (receivers
     * deduplicate on it). One try: a failed redelivery is not retried on the schedule.
     */
    async redeliver(projectId: string, hookId: string, deliveryId: string) {
      const hook = await requireHook(projectId, hookId)
      const delivery = await findDelivery(db, hook.id, deliveryId)
      if (!delivery) throw new AppError(404, ERROR_CODES.notFound, 'Delivery not found')
      if (hook.enabled !== 1) {
        throw new AppError(409, ERROR_CODES.conflict, 'The webhook is disabled: enable it first')
      }
      await db
        .updateTable('webhook_deliveries')
        .set({
          status: 'pending',
          next_attempt_at: now(),
          // A delivery still on its retry schedule keeps it; a finished one gets one try.
          manual: delivery.status === 'pending' ? delivery.manual : 1,
        })
        .where('id', '=', delivery.id)
        .execute()
      deps.wake?.()
      const row = (await findDelivery(db, hook.id, deliveryId))!
      return toDelivery(row, await attemptsOf(db, [row.id]))
    },
  }
}
