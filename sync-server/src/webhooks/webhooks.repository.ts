import { randomUUID } from 'node:crypto'
import type { Kysely, Selectable } from 'kysely'
import type {
  Database,
  WebhookAttemptsTable,
  WebhookDeliveriesTable,
  WebhooksTable,
} from '../db/schema.js'
import type { OutboxEvent } from './webhook-events.js'

type Conn = Kysely<Database>
export type WebhookRow = Selectable<WebhooksTable>
export type DeliveryRow = Selectable<WebhookDeliveriesTable>
export type AttemptRow = Selectable<WebhookAttemptsTable>

export async function insertWebhook(db: Conn, row: WebhookRow): Promise<void> {
  await db.insertInto('webhooks').values(row).execute()
}

export function listWebhooks(db: Conn, projectId: string): Promise<WebhookRow[]> {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('project_id', '=', projectId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

export function findWebhook(
  db: Conn,
  projectId: string,
  id: string,
): Promise<WebhookRow | undefined> {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function updateWebhook(
  db: Conn,
  id: string,
  patch: Partial<Omit<WebhookRow, 'id' | 'project_id' | 'created_at' | 'created_by'>>,
): Promise<void> {
  await db.updateTable('webhooks').set(patch).where('id', '=', id).execute()
}

export async function deleteWebhook(db: Conn, projectId: string, id: string): Promise<boolean> {
  const r = await db
    .deleteFrom('webhooks')
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst()
  return r.numDeletedRows > 0n
}

/**
 * Queues `events` for every enabled endpoint of the project that subscribes to them. Call
 * inside the transaction that derives the events: an event is queued exactly when its
 * derivation commits, and the (endpoint, event key) constraint makes a replay a no-op.
 * Returns how many deliveries were queued.
 */
export async function enqueueEvents(
  trx: Conn,
  projectId: string,
  events: readonly OutboxEvent[],
  now: number,
): Promise<number> {
  if (events.length === 0) return 0
  const hooks = await trx
    .selectFrom('webhooks')
    .select(['id', 'events'])
    .where('project_id', '=', projectId)
    .where('enabled', '=', 1)
    .execute()
  if (hooks.length === 0) return 0
  const subscribed = hooks.map((h) => ({ id: h.id, events: new Set(JSON.parse(h.events)) }))
  const top = await trx
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.max<number | null>('seq').as('seq'))
    .executeTakeFirst()
  let seq = top?.seq ?? 0
  let queued = 0
  for (const e of events) {
    const body = JSON.stringify({
      type: e.type,
      timestamp: new Date(e.at).toISOString(),
      data: e.data,
    })
    for (const h of subscribed) {
      if (!h.events.has(e.type)) continue
      const r = await trx
        .insertInto('webhook_deliveries')
        .values({
          id: randomUUID(),
          seq: ++seq,
          webhook_id: h.id,
          project_id: projectId,
          event_key: e.key,
          event_type: e.type,
          payload: body,
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          manual: 0,
          created_at: now,
        })
        .onConflict((oc) => oc.columns(['webhook_id', 'event_key']).doNothing())
        .executeTakeFirst()
      queued += Number(r.numInsertedOrUpdatedRows ?? 0n)
    }
  }
  return queued
}

/** Pending deliveries due by `now` to enabled endpoints, oldest first. */
export function dueDeliveries(db: Conn, now: number, limit: number): Promise<DeliveryRow[]> {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .selectAll('d')
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .where('w.enabled', '=', 1)
    .orderBy('d.next_attempt_at')
    .orderBy('d.seq')
    .limit(limit)
    .execute()
}

/** When the next pending delivery to an enabled endpoint is due; null when none is. */
export async function nextDueAt(db: Conn): Promise<number | null> {
  // ORDER BY … LIMIT 1 walks the (status, next_attempt_at) index and stops at the first row
  // of an enabled endpoint; MIN() over the join would read every pending row.
  const row = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
    .select('d.next_attempt_at as at')
    .where('d.status', '=', 'pending')
    .where('w.enabled', '=', 1)
    .orderBy('d.next_attempt_at')
    .limit(1)
    .executeTakeFirst()
  return row?.at ?? null
}

export function listDeliveries(
  db: Conn,
  webhookId: string,
  opts: { before?: number; limit: number },
): Promise<DeliveryRow[]> {
  let q = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .orderBy('seq', 'desc')
    .limit(opts.limit)
  if (opts.before !== undefined) q = q.where('seq', '<', opts.before)
  return q.execute()
}

export function attemptsOf(db: Conn, deliveryIds: readonly string[]): Promise<AttemptRow[]> {
  if (deliveryIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('attempt')
    .execute()
}

export function findDelivery(
  db: Conn,
  webhookId: string,
  id: string,
): Promise<DeliveryRow | undefined> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/**
 * Deletes finished (delivered or failed) deliveries created before `before`, with their
 * attempts; pending ones are kept whatever their age. Returns how many went.
 */
export async function pruneDeliveries(db: Conn, before: number): Promise<number> {
  const r = await db
    .deleteFrom('webhook_deliveries')
    .where('created_at', '<', before)
    .where('status', '!=', 'pending')
    .executeTakeFirst()
  return Number(r.numDeletedRows)
}
