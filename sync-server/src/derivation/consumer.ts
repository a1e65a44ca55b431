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
  /**
   * Returns true when it wrote something (then `afterCommit` runs). With `parts`, writes
   * everything but those (the engine writes them).
   */
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
  /**
   * Effects attributed one by one to the update that caused them (activity entries,
   * notifications, webhook deliveries, status changes), which must happen exactly once.
   * The engine writes those the cursor has not passed, with `write`'s transaction; when there
   * are many (one update that created 10,000 tasks), it writes them first in parts, each in
   * its own short transaction that records how far it got inside the seq (the cursor's
   * part), with a turn of the event loop in between: a crash or a lease lost between parts
   * resumes after the last part written, on any node.
   */
  parts?: ConsumerParts<SeqItem>
}

/** An effect of one logged update; a seq's items are ordered by task when written in parts. */
export interface SeqItem {
  seq: number
  taskId: string
}

export interface ConsumerParts<T extends SeqItem> {
  /**
   * This consumer's items of `batch`, in seq order. What a seq yields must depend only on
   * the log (the same list whichever node or run derives it), up to the order of tasks.
   */
  of(batch: DerivedBatch): readonly T[]
  /** Writes `items` (none written before, in order); true when it wrote something. */
  write(trx: Transaction<Database>, docName: string, items: readonly T[]): Promise<boolean>
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
    // Every effect of a sink is an event's: the engine writes them as parts.
    write: async () => false,
    parts: {
      of: (batch) => batch.events,
      async write(trx, docName, events: readonly BoardEvent[]) {
        if (events.length === 0) return false
        await sink.write(trx, docName, events)
        return true
      },
    },
    afterCommit: (docName) => sink.afterCommit?.(docName),
  }
}
