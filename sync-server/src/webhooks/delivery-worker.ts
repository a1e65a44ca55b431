import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import type { Logger } from '../logger.js'
import { sign } from './signing.js'
import { type Lookup, resolveTarget } from './ssrf.js'
import { messageIdOf } from './webhooks.presenter.js'
import {
  type DeliveryRow,
  dueDeliveries,
  nextDueAt,
  pruneDeliveries,
} from './webhooks.repository.js'

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
/** Pause after a try that failed for a reason of ours (not the receiver's), before it is tried again. */
const FAILURE_COOLDOWN_MS = 30 * SECOND

/**
 * Wait before retry n (n = 1 after the first failed try), before jitter: 15 tries spread
 * over about 3 days (sum ≈ 75.7 h). Each wait is jittered ±20 % so endpoints that failed
 * together are not retried together. Documented in docs/api.md "Webhooks".
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  5 * SECOND,
  30 * SECOND,
  2 * MINUTE,
  10 * MINUTE,
  30 * MINUTE,
  1 * HOUR,
  2 * HOUR,
  4 * HOUR,
  8 * HOUR,
  12 * HOUR,
  12 * HOUR,
  12 * HOUR,
  12 * HOUR,
  12 * HOUR,
]

/** The wait after failed try `attempt` (1-based); null when no retry is left. */
/** How long the delivery log keeps a finished delivery (pending ones are always kept). */
export const DELIVERY_LOG_RETENTION_MS = 30 * 24 * HOUR

export function retryDelay(attempt: number, random: () => number = Math.random): number | null {
  const base = RETRY_DELAYS_MS[attempt - 1]
  if (base === undefined) return null
  return Math.round(base * (0.8 + 0.4 * random()))
}

export interface DeliveryWorkerOptions {
  db: Db
  now: Clock
  logger: Logger
  allowPrivate: boolean
  /** Deliveries in flight at once (all endpoints). */
  concurrency: number
  /** Per try: no answer by then is a failure (default 15 s). */
  timeoutMs?: number
  /** How often the outbox is looked at without a wake-up (rows queued by other code paths). */
  pollMs?: number
  lookup?: Lookup
  random?: () => number
}

interface Outcome {
  status: number | null
  error: string | null
  durationMs: number
}

/**
 * Sends queued webhook deliveries: at least once, with the retry schedule above, bounded
 * concurrency, a timeout per try, and a stop on `410 Gone` (the endpoint is disabled). The
 * outbox is the database, so a restart resumes what was pending (a try cut off by a stop is
 * sent again: receivers deduplicate on `webhook-id`). Runs entirely off the relay path.
 */
export class DeliveryWorker {
  readonly #o: Required<Omit<DeliveryWorkerOptions, 'lookup'>> & { lookup?: Lookup }
  readonly #inFlight = new Map<string, Promise<void>>()
  /** Deliveries whose last try failed unexpectedly, with the time before which none is retried. */
  readonly #coolingDown = new Map<string, number>()
  readonly #aborts = new Set<AbortController>()
  #pump: Promise<void> | null = null
  #pruning: Promise<void> | null = null
  #again = false
  #stopped = false
  #poll: NodeJS.Timeout | undefined
  #timer: NodeJS.Timeout | undefined
  // Kept-alive connections: a busy endpoint costs one TCP (and TLS) handshake, not one per
  // message. Safe with the per-try address check: a pooled socket goes to an address that
  // passed it, and a name that now resolves inside is refused before any socket is used.
  readonly #agents: { http: http.Agent; https: https.Agent }

  constructor(opts: DeliveryWorkerOptions) {
    this.#o = { timeoutMs: 15_000, pollMs: 1000, random: Math.random, ...opts }
    const pool = { keepAlive: true, maxSockets: opts.concurrency, timeout: 30_000 }
    this.#agents = { http: new http.Agent(pool), https: new https.Agent(pool) }
  }

  /** Starts polling and sends what is due (pending deliveries of the last run too). */
  start(): void {
    let polls = 0
    const pruneEvery = Math.max(1, Math.round(HOUR / this.#o.pollMs))
    this.#poll = setInterval(() => {
      this.wake()
      if (++polls % pruneEvery === 0) this.#prune()
    }, this.#o.pollMs)
    this.#poll.unref()
    this.wake()
    this.#prune()
  }

  /** Drops finished deliveries older than the retention (hourly, and at start). */
  #prune(): void {
    if (this.#stopped || this.#pruning) return
    this.#pruning = pruneDeliveries(this.#o.db, this.#o.now() - DELIVERY_LOG_RETENTION_MS)
      .then(() => {})
      .catch((err: unknown) =>
        this.#o.logger.error('webhook log pruning failed', { err: String(err) }),
      )
      .finally(() => {
        this.#pruning = null
      })
  }

  /** Something may be due now (new events, a redelivery). Never throws. */
  wake(): void {
    if (this.#stopped) return
    void this.#kick()
  }

  /**
   * Resolves once nothing is due by the injected clock and nothing is in flight: every
   * delivery queued so far was tried (and retried, as far as the clock allows). Tests move
   * the clock past a retry and call this instead of sleeping.
   */
  async idle(): Promise<void> {
    await this.#pruning
    for (;;) {
      await this.#kick()
      if (this.#inFlight.size > 0) {
        await Promise.all([...this.#inFlight.values()])
        continue
      }
      if (this.#stopped) return
      // What failed unexpectedly waits out its pause; idle must not spin on it.
      if ([...this.#coolingDown.values()].some((until) => until > this.#o.now())) return
      const due = await nextDueAt(this.#o.db)
      if (due === null || due > this.#o.now()) return
    }
  }

  /** Stops sending: tries in flight are cut off and stay pending for the next start. */
  async stop(): Promise<void> {
    this.#stopped = true
    clearInterval(this.#poll)
    clearTimeout(this.#timer)
    for (const a of this.#aborts) a.abort()
    await this.#pruning
    await this.#pump
    await Promise.all([...this.#inFlight.values()])
    this.#agents.http.destroy()
    this.#agents.https.destroy()
  }

  /** One pass at a time; a wake during a pass runs another pass after it. */
  #kick(): Promise<void> {
    if (this.#pump) {
      this.#again = true
      return this.#pump
    }
    this.#pump = (async () => {
      do {
        this.#again = false
        await this.#fill()
      } while (this.#again && !this.#stopped)
    })()
      .catch((err: unknown) => this.#o.logger.error('webhook queue failed', { err: String(err) }))
      .finally(() => {
        this.#pump = null
      })
    return this.#pump
  }

  async #fill(): Promise<void> {
    if (this.#stopped) return
    const free = this.#o.concurrency - this.#inFlight.size
    if (free <= 0) return
    const rows = await dueDeliveries(this.#o.db, this.#o.now(), free + this.#inFlight.size)
    for (const row of rows) {
      if (this.#inFlight.size >= this.#o.concurrency) break
      if (this.#inFlight.has(row.id)) continue
      const until = this.#coolingDown.get(row.id)
      if (until !== undefined && until > this.#o.now()) continue
      this.#coolingDown.delete(row.id)
      const p = this.#deliver(row)
        .catch((err: unknown) => {
          // An unexpected failure (the database, not the receiver) left the row due: without a
          // pause the wake below would pick it again at once, in a tight loop.
          this.#coolingDown.set(row.id, this.#o.now() + FAILURE_COOLDOWN_MS)
          this.#o.logger.error('webhook delivery failed', { id: row.id, err: String(err) })
        })
        .finally(() => {
          this.#inFlight.delete(row.id)
          this.wake()
        })
      this.#inFlight.set(row.id, p)
    }
    // Busy: the delivery that finishes last looks again. Idle: sleep until the next retry.
    if (this.#inFlight.size === 0) await this.#arm()
  }

  /** A timer for the next due retry (the poll would find it too, later). */
  async #arm(): Promise<void> {
    clearTimeout(this.#timer)
    if (this.#stopped) return
    const due = await nextDueAt(this.#o.db)
    if (due === null) return
    const wait = Math.min(Math.max(due - this.#o.now(), 0), 2 ** 31 - 1)
    if (wait === 0) return
    this.#timer = setTimeout(() => this.wake(), wait)
    this.#timer.unref()
  }

  async #deliver(row: DeliveryRow): Promise<void> {
    const { db, now } = this.#o
    const hook = await db
      .selectFrom('webhooks')
      .selectAll()
      .where('id', '=', row.webhook_id)
      .executeTakeFirst()
    if (hook?.enabled !== 1) return
    const startedAt = now()
    const attempt = row.attempts + 1
    const outcome = await this.#send(hook, row, startedAt)
    if (outcome === 'aborted') return
    const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300
    const gone = outcome.status === 410
    const delay = ok || gone || row.manual === 1 ? null : retryDelay(attempt, this.#o.random)
    const t = now()
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('webhook_attempts')
        .values({
          delivery_id: row.id,
          attempt,
          at: startedAt,
          response_status: outcome.status,
          duration_ms: outcome.durationMs,
          error: outcome.error,
        })
        .execute()
      await trx
        .updateTable('webhook_deliveries')
        .set({
          attempts: attempt,
          status: ok ? 'delivered' : delay === null ? 'failed' : 'pending',
          next_attempt_at: delay === null ? null : t + delay,
          manual: 0,
        })
        .where('id', '=', row.id)
        .execute()
      if (gone) {
        await trx
          .updateTable('webhooks')
          .set({
            enabled: 0,
            disabled_reason: 'The endpoint answered 410 Gone',
            updated_at: t,
          })
          .where('id', '=', hook.id)
          .execute()
      }
    })
    if (gone) this.#o.logger.warn('webhook disabled: 410 Gone', { webhookId: hook.id })
  }

  async #send(
    hook: {
      url: string
      secret: string
      previous_secret: string | null
      previous_secret_expires_at: number | null
    },
    row: DeliveryRow,
    at: number,
  ): Promise<Outcome | 'aborted'> {
    const started = performance.now()
    const elapsed = () => Math.round(performance.now() - started)
    // Checked again at every try: the name may point elsewhere since it was saved.
    const target = await resolveTarget(hook.url, {
      allowPrivate: this.#o.allowPrivate,
      lookup: this.#o.lookup,
    })
    if (!target.ok)
      return { status: null, error: `refused: ${target.reason}`, durationMs: elapsed() }
    const msgId = messageIdOf(row.id)
    const ts = Math.floor(at / 1000)
    const signatures = [sign(hook.secret, msgId, ts, row.payload)]
    if (hook.previous_secret && (hook.previous_secret_expires_at ?? 0) > at) {
      signatures.push(sign(hook.previous_secret, msgId, ts, row.payload))
    }
    const url = new URL(hook.url)
    // Connect to the address that was checked, never to a second resolution of the name.
    const pinned: LookupFunction = (_host, options, cb) => {
      if (options.all) cb(null, [{ address: target.address, family: target.family }])
      else cb(null, target.address, target.family)
    }
    const abort = new AbortController()
    this.#aborts.add(abort)
    try {
      return await new Promise<Outcome | 'aborted'>((resolve) => {
        const secure = url.protocol === 'https:'
        const req = (secure ? https : http).request(url, {
          method: 'POST',
          agent: secure ? this.#agents.https : this.#agents.http,
          lookup: pinned,
          signal: abort.signal,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'TaskFlow-Webhooks/1',
            'webhook-id': msgId,
            'webhook-timestamp': String(ts),
            'webhook-signature': signatures.join(' '),
          },
        })
        const timer = setTimeout(
          () => req.destroy(new Error(`no answer within ${this.#o.timeoutMs / 1000} s`)),
          this.#o.timeoutMs,
        )
        req.on('response', (res) => {
          clearTimeout(timer)
          // The body is not read: only the status counts. Drop it without buffering.
          res.resume()
          res.on('error', () => {})
          resolve({ status: res.statusCode ?? null, error: null, durationMs: elapsed() })
        })
        req.on('error', (err) => {
          clearTimeout(timer)
          if (abort.signal.aborted) resolve('aborted')
          else resolve({ status: null, error: err.message, durationMs: elapsed() })
        })
        req.end(row.payload)
      })
    } finally {
      this.#aborts.delete(abort)
    }
  }
}
