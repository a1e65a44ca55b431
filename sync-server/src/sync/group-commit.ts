import type { CommitMetrics } from '../metrics/metrics.js'
import type { BindingRow, LogRow, UpdateLog } from './update-log.js'

/** One accepted update (or client-ID binding) waiting for its transaction. */
export interface PendingUpdate<R, C> {
  room: R
  conn: C
  /** The log row; null for a binding made without an update (a presence state, SPEC 7.7). */
  row: LogRow | null
  /** Client IDs the update (or presence state) bound to its user, stored with it. */
  bindings?: readonly BindingRow[]
  /** Told once the row is durable (null) or its transaction failed (the error). */
  onDurable?: (err: unknown) => void
}

/**
 * Group commit: every update accepted while no transaction runs is appended in a single
 * transaction (started in the turn's check phase, setImmediate), and only then handed to
 * `onCommitted` for relay — so nothing reaches another client before it is durable (SPEC
 * 3.1, 3.2). Writes are async (Postgres, or SQLite through Kysely): one transaction runs at
 * a time, and what arrives meanwhile makes the next batch, so batches grow with the load
 * instead of transactions queueing up; batches commit and relay in order.
 */
export class GroupCommit<R, C> {
  #pending: PendingUpdate<R, C>[] = []
  #scheduled = false
  #inFlight: Promise<void> | null = null
  /** The batch of the running transaction (applied to rooms' docs, not yet in their logs). */
  #inFlightBatch: PendingUpdate<R, C>[] = []
  /** When the oldest pending update was accepted (performance.now(), for metrics). */
  #firstAcceptedAt = 0

  constructor(
    private readonly log: Pick<UpdateLog, 'append'>,
    /** May return a promise (a cluster node reading another node's rows first): the next
     * transaction waits for it, so batches still relay in order. */
    private readonly onCommitted: (batch: PendingUpdate<R, C>[]) => void | Promise<void>,
    private readonly onFailed: (batch: PendingUpdate<R, C>[], err: unknown) => void,
    private readonly metrics?: CommitMetrics,
  ) {}

  enqueue(item: PendingUpdate<R, C>): void {
    if (this.metrics && this.#pending.length === 0) this.#firstAcceptedAt = performance.now()
    this.#pending.push(item)
    if (!this.#scheduled && !this.#inFlight) {
      this.#scheduled = true
      setImmediate(() => this.#start())
    }
  }

  /** Whether updates of `room` are queued or being committed. */
  hasPending(room: R): boolean {
    return (
      this.#pending.some((p) => p.room === room) || this.#inFlightBatch.some((p) => p.room === room)
    )
  }

  /** Forgets a room's pending updates (its document is being deleted or reloaded). */
  drop(room: R): PendingUpdate<R, C>[] {
    const dropped = this.#pending.filter((p) => p.room === room)
    this.#pending = this.#pending.filter((p) => p.room !== room)
    return dropped
  }

  /**
   * Resolves once everything queued when it was called is committed (and relayed) or has
   * failed. Safe to call any time; never rejects (failures go to onFailed).
   */
  async flush(): Promise<void> {
    while (this.#inFlight || this.#pending.length > 0) {
      if (!this.#inFlight) this.#start()
      await this.#inFlight
    }
  }

  /** Starts the next transaction with everything pending, unless one runs. */
  #start(): void {
    this.#scheduled = false
    if (this.#inFlight || this.#pending.length === 0) return
    const batch = this.#pending
    this.#pending = []
    this.#inFlightBatch = batch
    this.#inFlight = this.#commit(batch).finally(() => {
      this.#inFlight = null
      // What arrived during the transaction goes next, at once: it has waited already.
      if (this.#pending.length > 0) this.#start()
    })
  }

  async #commit(batch: PendingUpdate<R, C>[]): Promise<void> {
    const firstAcceptedAt = this.#firstAcceptedAt
    const started = this.metrics ? performance.now() : 0
    const rows: LogRow[] = []
    const bindings: BindingRow[] = []
    for (const p of batch) {
      if (p.row) rows.push(p.row)
      if (p.bindings) bindings.push(...p.bindings)
    }
    try {
      await this.log.append(rows, bindings)
    } catch (err) {
      this.#inFlightBatch = []
      this.onFailed(batch, err)
      for (const p of batch) p.onDurable?.(err)
      return
    }
    this.#inFlightBatch = []
    const appended = this.metrics ? performance.now() : 0
    // With TASKFLOW_FANOUT_BATCH_MS=0 (default) the fan-out is written to the sockets here.
    try {
      await this.onCommitted(batch)
    } finally {
      for (const p of batch) p.onDurable?.(null)
    }
    if (this.metrics) {
      let bytes = 0
      for (const r of rows) bytes += r.update.length
      this.metrics.committed(
        rows.length,
        bytes,
        (appended - started) / 1000,
        (performance.now() - firstAcceptedAt) / 1000,
      )
    }
  }
}
