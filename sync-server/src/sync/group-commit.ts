import type { CommitMetrics } from '../metrics/metrics.js'
import type { LogRow, UpdateLog } from './update-log.js'

/** One accepted update waiting for its transaction. */
export interface PendingUpdate<R, C> {
  room: R
  conn: C
  row: LogRow
  /** Told once the row is durable (null) or its transaction failed (the error). */
  onDurable?: (err: unknown) => void
}

/**
 * Group commit: every update accepted in one event-loop turn is appended in a single
 * SQLite transaction (in the turn's check phase, setImmediate), and only then handed to
 * `onCommitted` for relay — so nothing reaches another client before it is durable
 * (SPEC 3.1, 3.2).
 */
export class GroupCommit<R, C> {
  #pending: PendingUpdate<R, C>[] = []
  #scheduled = false
  /** When the oldest pending update was accepted (performance.now(), for metrics). */
  #firstAcceptedAt = 0

  constructor(
    private readonly log: Pick<UpdateLog, 'append'>,
    private readonly onCommitted: (batch: PendingUpdate<R, C>[]) => void,
    private readonly onFailed: (batch: PendingUpdate<R, C>[], err: unknown) => void,
    private readonly metrics?: CommitMetrics,
  ) {}

  enqueue(item: PendingUpdate<R, C>): void {
    if (this.metrics && this.#pending.length === 0) this.#firstAcceptedAt = performance.now()
    this.#pending.push(item)
    if (!this.#scheduled) {
      this.#scheduled = true
      setImmediate(() => this.flush())
    }
  }

  hasPending(room: R): boolean {
    return this.#pending.some((p) => p.room === room)
  }

  /** Forgets a room's pending updates (its document is being deleted). */
  drop(room: R): void {
    this.#pending = this.#pending.filter((p) => p.room !== room)
  }

  /** Commits now. Safe to call any time; never throws (failures go to onFailed). */
  flush(): void {
    this.#scheduled = false
    const batch = this.#pending
    if (batch.length === 0) return
    this.#pending = []
    const started = this.metrics ? performance.now() : 0
    try {
      this.log.append(batch.map((p) => p.row))
    } catch (err) {
      this.onFailed(batch, err)
      for (const p of batch) p.onDurable?.(err)
      return
    }
    const appended = this.metrics ? performance.now() : 0
    // With TASKFLOW_FANOUT_BATCH_MS=0 (default) the fan-out is written to the sockets here.
    this.onCommitted(batch)
    for (const p of batch) p.onDurable?.(null)
    if (this.metrics) {
      let bytes = 0
      for (const p of batch) bytes += p.row.update.length
      this.metrics.committed(
        batch.length,
        bytes,
        (appended - started) / 1000,
        (performance.now() - this.#firstAcceptedAt) / 1000,
      )
    }
  }
}
