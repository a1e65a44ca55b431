import { sql } from 'kysely'
import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import { type Db, dialectOf } from '../db/database.js'
import { collectProcessMetrics } from './process-metrics.js'

/** What the sync hub reports about itself on each scrape (no hot-path bookkeeping). */
export interface SyncGauges {
  /** Open, authorized sync sockets by access. */
  connectionCounts(): { read: number; write: number }
  roomCount: number
}

/**
 * Hot-path hooks of the group commit. One call per committed batch, not per update, with
 * plain numbers: no allocation in the relay path.
 */
export interface CommitMetrics {
  /**
   * `updates`/`bytes` were made durable; the transaction took `commitSeconds`; the batch's
   * oldest update waited `relaySeconds` from being accepted until its fan-out was written
   * to every receiver's socket (the relay latency the server adds).
   */
  committed(updates: number, bytes: number, commitSeconds: number, relaySeconds: number): void
}

/** Sync socket closes, by close code (both sides' codes: 1000, 1001, 1006, 4401, ...). */
export interface CloseMetrics {
  closed(code: number): void
}

export interface MailMetrics {
  mailSent(): void
  mailFailed(): void
}

export interface HttpMetrics {
  /** `route` is a route template (`/api/v1/projects/:projectId`), never a raw path. */
  request(method: string, route: string, status: number, seconds: number): void
}

export type ServerMetrics = CommitMetrics & CloseMetrics & MailMetrics & HttpMetrics

/** Sub-second buckets: a commit is ~0.1–5 ms, a relay ~0.2–50 ms on a healthy node. */
const FAST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/**
 * The server's Prometheus metrics on a registry of its own (several servers in one test
 * process must not share the global default). Gauges are computed on scrape; counters are
 * bumped through pre-bound label children.
 */
export class PrometheusMetrics implements ServerMetrics {
  readonly registry = new Registry()
  #sync: SyncGauges | undefined
  #lag: (() => Promise<number>) | undefined
  readonly #updates: Counter
  readonly #updateBytes: Counter
  readonly #commitSeconds: Histogram
  readonly #relaySeconds: Histogram
  readonly #closes: Counter<'code'>
  readonly #closesByCode = new Map<number, Counter.Internal>()
  readonly #mailSent: Counter.Internal
  readonly #mailFailed: Counter.Internal
  readonly #httpRequests: Counter<'method' | 'route' | 'status'>
  readonly #httpSeconds: Histogram<'method' | 'route'>

  constructor() {
    const registers = [this.registry]
    collectProcessMetrics(this.registry)
    const self = this
    new Gauge({
      name: 'taskflow_sync_connections',
      help: 'Open sync sockets by access (read = viewer, write = member).',
      labelNames: ['access'],
      registers,
      collect() {
        const counts = self.#sync?.connectionCounts() ?? { read: 0, write: 0 }
        this.set({ access: 'read' }, counts.read)
        this.set({ access: 'write' }, counts.write)
      },
    })
    new Gauge({
      name: 'taskflow_sync_rooms_loaded',
      help: 'Documents held in memory (rooms with clients or in their grace period).',
      registers,
      collect() {
        this.set(self.#sync?.roomCount ?? 0)
      },
    })
    new Gauge({
      name: 'taskflow_derivation_lag_updates',
      help: 'Committed updates not yet derived by each derivation consumer (projection, activity, notifications, webhooks), summed over projects and consumers.',
      registers,
      async collect() {
        this.set((await self.#lag?.()) ?? 0)
      },
    })
    this.#updates = new Counter({
      name: 'taskflow_sync_updates_total',
      help: 'Document updates committed to the log.',
      registers,
    })
    this.#updateBytes = new Counter({
      name: 'taskflow_sync_update_bytes_total',
      help: 'Bytes of document updates committed to the log.',
      registers,
    })
    this.#commitSeconds = new Histogram({
      name: 'taskflow_sync_commit_seconds',
      help: 'Duration of one group-commit transaction.',
      buckets: FAST_BUCKETS,
      registers,
    })
    this.#relaySeconds = new Histogram({
      name: 'taskflow_sync_relay_seconds',
      help: "Update accepted → fan-out written to every receiver's socket (oldest update of each batch).",
      buckets: FAST_BUCKETS,
      registers,
    })
    this.#closes = new Counter({
      name: 'taskflow_sync_closes_total',
      help: 'Sync sockets closed, by WebSocket close code.',
      labelNames: ['code'],
      registers,
    })
    const mail = new Counter({
      name: 'taskflow_mail_total',
      help: 'Mail handed to SMTP or the outbox, by outcome (sent = accepted by SMTP or written to the outbox).',
      labelNames: ['outcome'],
      registers,
    })
    this.#mailSent = mail.labels('sent')
    this.#mailFailed = mail.labels('failed')
    this.#httpRequests = new Counter({
      name: 'taskflow_http_requests_total',
      help: 'HTTP requests by method, route template and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    })
    this.#httpSeconds = new Histogram({
      name: 'taskflow_http_request_seconds',
      help: 'HTTP request duration by method and route template.',
      labelNames: ['method', 'route'],
      buckets: HTTP_BUCKETS,
      registers,
    })
  }

  /** Reads the hub's gauges on scrape (set once the hub runs). */
  watchSync(sync: SyncGauges): void {
    this.#sync = sync
  }

  /** Reads derivation lag on scrape: one indexed query per scrape, nothing on the relay path. */
  watchDerivations(db: Db): void {
    this.#lag = derivationLag(db)
  }

  committed(updates: number, bytes: number, commitSeconds: number, relaySeconds: number): void {
    this.#updates.inc(updates)
    this.#updateBytes.inc(bytes)
    this.#commitSeconds.observe(commitSeconds)
    this.#relaySeconds.observe(relaySeconds)
  }

  closed(code: number): void {
    let child = this.#closesByCode.get(code)
    if (!child) {
      child = this.#closes.labels(String(code))
      this.#closesByCode.set(code, child)
    }
    child.inc()
  }

  mailSent(): void {
    this.#mailSent.inc()
  }

  mailFailed(): void {
    this.#mailFailed.inc()
  }

  request(method: string, route: string, status: number, seconds: number): void {
    this.#httpRequests.inc({ method, route, status: String(status) })
    this.#httpSeconds.observe({ method, route }, seconds)
  }
}

/**
 * Sum over projects and derivation consumers (projection, activity, notifications, webhooks)
 * of (last committed seq − seq the consumer derived). Derivations are debounced, so a small
 * non-zero value while people edit is normal; a value that only grows means a derivation is
 * stuck. One row, column `lag` (null when there are no projects). Shared with the admin
 * health page.
 */
export function derivationLagSql(opts: { postgres?: boolean } = {}): string {
  // Two-argument MAX is SQLite's GREATEST.
  const greatest = opts.postgres ? 'GREATEST' : 'MAX'
  const last = `${greatest}(
      COALESCE((SELECT MAX(seq) FROM doc_updates WHERE doc_name = p.id), 0),
      COALESCE((SELECT upto_seq FROM doc_snapshots WHERE doc_name = p.id), 0))`
  const lagOf = (consumer: string) =>
    `${greatest}(${last} - COALESCE((SELECT seq FROM derivation_cursors WHERE consumer = '${consumer}' AND doc_name = p.id), 0), 0)`
  return `SELECT SUM(${DERIVATION_CONSUMERS.map(lagOf).join(' + ')}) AS lag FROM projects p`
}

/** The consumers the server runs (server.ts), by cursor name. */
export const DERIVATION_CONSUMERS = ['projection', 'activity', 'notifications', 'webhooks'] as const

/** The derivation lag now, on either dialect (metrics and the admin health page). */
export async function readDerivationLag(db: Db): Promise<number> {
  const query = sql.raw<{ lag: number | null }>(
    derivationLagSql({ postgres: dialectOf(db) === 'postgres' }),
  )
  return Number((await query.execute(db)).rows[0]?.lag ?? 0)
}

function derivationLag(db: Db): () => Promise<number> {
  // A scrape after shutdown (the pool or file is closed) reads 0 rather than failing.
  return async () => {
    try {
      return await readDerivationLag(db)
    } catch {
      return 0
    }
  }
}
