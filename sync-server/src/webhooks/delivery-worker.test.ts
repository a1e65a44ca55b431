import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { createLogger } from '../logger.js'
import { DeliveryWorker } from './delivery-worker.js'
import { enqueueEvents } from './webhooks.repository.js'

describe('delivery worker', () => {
  it('gives up on an endpoint that does not answer within the timeout and schedules a retry', async () => {
    // Accepts the request and never answers.
    const silent = createServer(() => {})
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    afterEach(() => {
      silent.closeAllConnections()
      return new Promise<void>((r) => silent.close(() => r()))
    })
    const { db } = openDatabase(':memory:')
    await migrateToLatest(db)
    const t = Date.UTC(2026, 11, 4, 12)
    await db
      .insertInto('users')
      .values({
        id: 'u1',
        email: 'u@example.org',
        password_hash: 'x',
        name: 'U',
        avatar_color: '#123456',
        created_at: t,
        updated_at: t,
        email_verified_at: t,
      })
      .execute()
    await db
      .insertInto('projects')
      .values({
        id: 'p1',
        name: 'P',
        description: '',
        created_by: 'u1',
        archived_at: null,
        created_at: t,
        updated_at: t,
      })
      .execute()
    await db
      .insertInto('webhooks')
      .values({
        id: 'h1',
        project_id: 'p1',
        url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hook`,
        events: JSON.stringify(['member.added']),
        description: '',
        enabled: 1,
        disabled_reason: null,
        secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        previous_secret: null,
        previous_secret_expires_at: null,
        created_by: 'u1',
        created_at: t,
        updated_at: t,
      })
      .execute()
    await enqueueEvents(db, 'p1', [{ type: 'member.added', key: 'k1', at: t, data: {} }], t)
    const worker = new DeliveryWorker({
      db,
      now: () => t,
      logger: createLogger('silent'),
      allowPrivate: true,
      concurrency: 1,
      timeoutMs: 200,
    })
    await worker.idle()
    await worker.stop()
    const attempts = await db.selectFrom('webhook_attempts').selectAll().execute()
    expect(attempts).toHaveLength(1)
    expect(attempts[0]).toMatchObject({ response_status: null, error: 'no answer within 0.2 s' })
    const d = await db.selectFrom('webhook_deliveries').selectAll().executeTakeFirstOrThrow()
    expect(d.status).toBe('pending')
    expect(d.next_attempt_at).toBeGreaterThanOrEqual(t + 4_000)
    await db.destroy()
  })
})
