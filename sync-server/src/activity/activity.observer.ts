import type SQLite from 'better-sqlite3'
import type { Transaction } from 'kysely'
import type * as Y from 'yjs'
import type { Db } from '../db/database.js'
import type { Database } from '../db/schema.js'
import type { Logger } from '../logger.js'
import type { StoredLog } from '../reports/projector.js'
import type { RoomObserver } from '../sync/room.js'
import {
  getDerivedSeq,
  insertActivity,
  type LastEntries,
  setDerivedSeq,
} from './activity.repository.js'
import type { BoardEvent } from './board-events.js'
import { EventTracker, replayEvents } from './event-tracker.js'

/** Something else derived from board events in the same transaction (notifications). */
export interface EventSink {
  /** Writes what `events` (not derived before, in seq order) mean to this sink. */
  write(trx: Transaction<Database>, projectId: string, events: readonly BoardEvent[]): Promise<void>
  /** The transaction committed (push live updates, send mail). Must not throw. */
  afterCommit?(projectId: string): void
}

/** Synchronous reads while a room loads (better-sqlite3), so no update slips in first. */
export interface ActivityReads {
  projectExists(projectId: string): boolean
  derivedSeq(projectId: string): number | null
  storedLog(projectId: string): StoredLog
}

export function createActivityReads(
  sqlite: SQLite.Database,
  projection: Pick<ActivityReads, 'projectExists' | 'storedLog'>,
): ActivityReads {
  const state = sqlite.prepare<[string], { derived_seq: number }>(
    'SELECT derived_seq FROM activity_state WHERE project_id = ?',
  )
  return {
    projectExists: projection.projectExists,
    storedLog: projection.storedLog,
    derivedSeq: (id) => state.get(id)?.derived_seq ?? null,
  }
}

export interface ActivityObserverOptions {
  db: Db
  reads: ActivityReads
  logger: Logger
  sinks?: readonly EventSink[]
  /** Write this long after the last commit (default 500 ms). */
  debounceMs?: number
}

/**
 * Derives the activity log (and, through sinks, notifications) from persisted updates
 * (issue 7). Like the reporting Projector: the transaction observer only copies the state
 * of touched tasks; events are written debounced after commit, never on the relay path,
 * and only for durable updates. Writes are idempotent (derived_seq gate + unique keys),
 * so catching up from the stored log after a crash or a room reload never duplicates.
 */
export class ActivityObserver implements RoomObserver {
  readonly #trackers = new Map<string, EventTracker>()
  readonly #committedSeq = new Map<string, number>()
  readonly #timers = new Map<string, NodeJS.Timeout>()
  readonly #chains = new Map<string, Promise<void>>()
  /** derived_seq as last written, so an edit with no events still moves it on. */
  readonly #written = new Map<string, number>()
  /** Each task's newest entry per project, so grouping needs no lookup per edit. */
  readonly #last = new Map<string, LastEntries>()
  readonly #opts: Required<Omit<ActivityObserverOptions, 'sinks'>> & {
    sinks: readonly EventSink[]
  }

  constructor(opts: ActivityObserverOptions) {
    this.#opts = { debounceMs: 500, sinks: [], ...opts }
  }

  /** Starts tracking; replays logged updates not derived yet (crash, reload). Never throws. */
  docBuilt(projectId: string, doc: Y.Doc): void {
    try {
      const { reads } = this.#opts
      if (!reads.projectExists(projectId)) return
      this.#trackers.get(projectId)?.detach()
      const tracker = new EventTracker(doc)
      this.#trackers.set(projectId, tracker)
      const stored = reads.storedLog(projectId)
      const lastSeq = stored.rows.at(-1)?.seq ?? stored.snapshotSeq
      this.#committedSeq.set(projectId, lastSeq)
      // A new project has no state row: its whole log is new.
      const derived = reads.derivedSeq(projectId) ?? 0
      this.#written.set(projectId, derived)
      if (derived >= lastSeq) return
      tracker.events = replayEvents(stored, derived)
      this.#schedule(projectId)
    } catch (err) {
      this.#opts.logger.error('activity attach failed', { doc: projectId, err: String(err) })
    }
  }

  /**
   * Derives what a document no room holds has logged since the last derivation (start-up
   * after a crash). The write is gated by derived_seq inside its transaction and queued on
   * the project's chain, so a room that loads meanwhile never derives an update twice.
   * Never throws.
   */
  catchUp(projectId: string): void {
    try {
      if (this.#trackers.has(projectId)) return
      const { reads } = this.#opts
      if (!reads.projectExists(projectId)) return
      const derived = reads.derivedSeq(projectId) ?? 0
      const stored = reads.storedLog(projectId)
      const lastSeq = stored.rows.at(-1)?.seq ?? stored.snapshotSeq
      if (derived >= lastSeq) return
      this.#enqueue(projectId, replayEvents(stored, derived), lastSeq)
    } catch (err) {
      this.#opts.logger.error('activity catch-up failed', { doc: projectId, err: String(err) })
    }
  }

  committed(projectId: string, seq: number): void {
    if (!this.#trackers.has(projectId)) return
    this.#committedSeq.set(projectId, Math.max(seq, this.#committedSeq.get(projectId) ?? 0))
    this.#schedule(projectId)
  }

  docDropped(projectId: string): void {
    const tracker = this.#trackers.get(projectId)
    if (!tracker) return
    this.#flush(projectId, tracker)
    tracker.detach()
    this.#trackers.delete(projectId)
    this.#last.delete(projectId)
  }

  /** Writes everything pending now and waits (tests, shutdown). */
  async drain(): Promise<void> {
    for (const [id, tracker] of this.#trackers) this.#flush(id, tracker)
    await Promise.all([...this.#chains.values()])
  }

  #schedule(projectId: string): void {
    const t = this.#timers.get(projectId)
    if (t) clearTimeout(t)
    const timer = setTimeout(() => {
      this.#timers.delete(projectId)
      const tracker = this.#trackers.get(projectId)
      if (tracker) this.#flush(projectId, tracker)
    }, this.#opts.debounceMs)
    timer.unref()
    this.#timers.set(projectId, timer)
  }

  #flush(projectId: string, tracker: EventTracker): void {
    const t = this.#timers.get(projectId)
    if (t) clearTimeout(t)
    this.#timers.delete(projectId)
    const upto = this.#committedSeq.get(projectId) ?? 0
    const events = tracker.take(upto)
    if (events.length === 0 && upto <= (this.#written.get(projectId) ?? 0)) return
    this.#written.set(projectId, upto)
    this.#enqueue(projectId, events, upto)
  }

  #enqueue(projectId: string, events: BoardEvent[], upto: number): void {
    const prev = this.#chains.get(projectId) ?? Promise.resolve()
    const next = prev
      .then(() => this.#write(projectId, events, upto))
      .catch((err) => {
        // The state row did not advance: the next room load replays these updates.
        this.#opts.logger.error('activity write failed', { doc: projectId, err: String(err) })
      })
    this.#chains.set(projectId, next)
    void next.then(() => {
      if (this.#chains.get(projectId) === next) this.#chains.delete(projectId)
    })
  }

  async #write(projectId: string, events: BoardEvent[], upto: number): Promise<void> {
    const { db, sinks } = this.#opts
    let last = this.#last.get(projectId)
    if (!last) {
      last = new Map()
      this.#last.set(projectId, last)
    }
    const cache = last
    const wrote = await db
      .transaction()
      .execute(async (trx) => {
        const exists = await trx
          .selectFrom('projects')
          .select('id')
          .where('id', '=', projectId)
          .executeTakeFirst()
        if (!exists) return false
        const derived = (await getDerivedSeq(trx, projectId)) ?? 0
        const fresh = events.filter((e) => e.seq > derived)
        if (upto > derived) await setDerivedSeq(trx, projectId, upto)
        if (fresh.length === 0) return false
        await insertActivity(trx, projectId, fresh, cache)
        for (const sink of sinks) await sink.write(trx, projectId, fresh)
        return true
      })
      .catch((err: unknown) => {
        // Rolled back: the cache may name entries that do not exist.
        this.#last.delete(projectId)
        throw err
      })
    if (wrote) for (const sink of sinks) sink.afterCommit?.(projectId)
  }
}
