import type { Transaction } from 'kysely'
import type { BoardEvent } from '../activity/board-events.js'
import type { Database } from '../db/schema.js'
import type { FoldOutput } from './board-fold.js'

/** What the engine hands every consumer for one run of a document's log, (from, upto]. */
export interface DerivedBatch extends FoldOutput {
  docName: string
  /** The last seq folded before this batch. */
  from: number
  /** The last seq this batch covers. */
  upto: number
}

/**
 * A plugin of the derivation engine: writes what a batch means to it. The engine calls
 * `write` inside a transaction in which it also moves this consumer's cursor to
 * `batch.upto`; `after` is the cursor before it, and anything attributed to a seq at or
 * before it has already been written (a replay after a crash): skip it. Throwing rolls
 * the whole transaction back, cursor included.
 */
export interface DerivationConsumer {
  /** Key of this consumer's cursors; never renamed (the cursor table holds it). */
  readonly name: string
  /** Returns true when it wrote something (then `afterCommit` runs). */
  write(trx: Transaction<Database>, batch: DerivedBatch, after: number): Promise<boolean>
  /** The transaction committed: push live updates, wake workers. Must not throw. */
  afterCommit?(docName: string): void
  /** The document's write failed and will be re-derived from the cursors: drop caches. */
  reset?(docName: string): void
  /**
   * Splits off idempotent state writes (rows rewritten as they are now) of a large batch.
   * The engine runs each in its own short transaction, with a turn of the event loop in
   * between, before `write(rest)` moves the cursor: a board's first projection is not one
   * transaction of thousands of rows that holds the event loop. A crash in between leaves
   * the cursor behind, and the batch is derived again.
   */
  split?(batch: DerivedBatch): { chunks: StateChunk[]; rest: DerivedBatch }
}

/** One idempotent state write of a split batch. */
export type StateChunk = (trx: Transaction<Database>) => Promise<void>

/** A consumer of board events only (notifications, webhooks): gets each event once. */
export interface EventSink {
  /** Writes what `events` (not written before, in seq order) mean to this sink. */
  write(trx: Transaction<Database>, projectId: string, events: readonly BoardEvent[]): Promise<void>
  /** The transaction committed (push live updates, send mail). Must not throw. */
  afterCommit?(projectId: string): void
}

/** `sink` as an engine consumer with its own cursor, named `name`. */
export function eventsConsumer(name: string, sink: EventSink): DerivationConsumer {
  return {
    name,
    async write(trx, batch, after) {
      const fresh = batch.events.filter((e) => e.seq > after)
      if (fresh.length === 0) return false
      await sink.write(trx, batch.docName, fresh)
      return true
    },
    afterCommit: (docName) => sink.afterCommit?.(docName),
  }
}
