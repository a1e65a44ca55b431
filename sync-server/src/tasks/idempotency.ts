import { createHash } from 'node:crypto'
import { ERROR_CODES, IDEMPOTENCY_KEY_TTL_MS, IdempotencyKeySchema } from '@taskflow/api'
import { createMiddleware } from 'hono/factory'
import type { AuthEnv } from '../auth/auth.middleware.js'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import { AppError } from '../http/app-error.js'

/**
 * `Idempotency-Key` on a POST (docs/api.md "Idempotency"): the first successful (2xx)
 * answer is stored for 24 h, per user and key, and replayed — same status, same body — for
 * a retry with the same key, so a retried request creates nothing twice. The key is bound
 * to the request it was first used with (method, path and body): reusing it for another
 * request is refused with 422, and while the first is still running a retry gets 409. A
 * request that failed stores nothing: it may be retried with the same key. Goes after
 * `requireAuth`.
 */
export function idempotency(db: Db, now: Clock) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const header = c.req.header('idempotency-key')
    if (header === undefined) return next()
    if (!IdempotencyKeySchema.safeParse(header).success) {
      throw new AppError(
        400,
        ERROR_CODES.validation,
        'Idempotency-Key must be 1 to 255 visible ASCII characters',
      )
    }
    const userId = c.var.user.id
    const body = await c.req.text()
    const fingerprint = createHash('sha256')
      .update(`${c.req.method}\n${c.req.path}\n${body}`)
      .digest('hex')
    const t = now()
    // Expired keys are forgotten (through the created_at index: the work is the number of
    // keys that expired since the last request), so this one may be reused once it expired.
    await db
      .deleteFrom('idempotency_keys')
      .where('created_at', '<=', t - IDEMPOTENCY_KEY_TTL_MS)
      .execute()
    const claimed = await db
      .insertInto('idempotency_keys')
      .values({
        user_id: userId,
        key: header,
        fingerprint,
        status: null,
        body: null,
        created_at: t,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst()
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 0) {
      const first = await db
        .selectFrom('idempotency_keys')
        .select(['fingerprint', 'status', 'body'])
        .where('user_id', '=', userId)
        .where('key', '=', header)
        .executeTakeFirstOrThrow()
      if (first.fingerprint !== fingerprint) {
        throw new AppError(
          422,
          ERROR_CODES.idempotencyKeyReused,
          'This Idempotency-Key was used for a different request',
        )
      }
      if (first.status === null) {
        throw new AppError(
          409,
          ERROR_CODES.idempotencyKeyInFlight,
          'A request with this Idempotency-Key is still running; retry later',
        )
      }
      return new Response(first.body, {
        status: first.status,
        headers: { 'content-type': 'application/json', 'idempotent-replayed': 'true' },
      })
    }
    let stored = false
    try {
      await next()
      if (c.res.status >= 200 && c.res.status < 300) {
        const text = await c.res.clone().text()
        await db
          .updateTable('idempotency_keys')
          .set({ status: c.res.status, body: text })
          .where('user_id', '=', userId)
          .where('key', '=', header)
          .execute()
        stored = true
      }
    } finally {
      if (!stored) {
        await db
          .deleteFrom('idempotency_keys')
          .where('user_id', '=', userId)
          .where('key', '=', header)
          .execute()
      }
    }
  })
}
