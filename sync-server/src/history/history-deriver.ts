import { sql } from 'kysely'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import type { Logger } from '../logger.js'
import { partBytes } from '../sync/state-parts.js'
import { storedLastSeq } from '../sync/stored-seq.js'
import { type HistoryWindow, historyWindow } from './board-at.js'
import { loadBaseUpdates, logRows } from './history.repository.js'
import { HistoryIndex } from './history-index.js'
import {
  clearIndex,
  hasBoardRows,
  type IndexCursor,
  lastStep,
  latestVersions,
  readCursor,
  writeIndex,
} from './history-index.repository.js'
import type { IndexPacking } from './history-index-packs.js'

export interface HistoryDeriverDeps {
  db: Db
  now: Clock
  /** TASKFLOW_HISTORY_DAYS; 0: nothing is derived. */
  days: number
  logger?: Logger
  /** Patches per compressed piece of stored board reads (default DEFAULT_PACK_ROWS; tests: few). */
  boardPackRows?: number
  /** How versions and steps are packed (default DEFAULT_INDEX_PACKING; tests: small pieces). */
  indexPacking?: IndexPacking
}

/** Documents whose history derivation is kept in memory (the most recently derived). */
const INDEXES_KEPT = 4
/** Log rows replayed into an index between two turns of the event loop, for a reader waiting. */
const READ_BATCH_ROWS = 500
/**
 * The same in the background (after commits): each row costs ~1–2 ms of Yjs work on a
 * 2,000-task board, so a batch stays well under the relay path's 50 ms budget.
 */
const BACKGROUND_BATCH_ROWS = 16
/**
 * Opening a derivation (no index in memory) loads the board's state into a Y.Doc in one
 * synchronous step: ~1.3 s for a 2,000-task board's 2.8 MB on the benchmark box. The
 * background does that only for boards whose state is at most this large (~50 ms); a larger
 * board's derivation is kept current in the background once a read has opened it.
 */
const BACKGROUND_OPEN_MAX_BYTES = 128 * 1024

/** Longest run of row applications between two turns of the event loop. */
const SLICE_MS = 20

const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Keeps each document's stored history index (history-index.repository.ts) caught up with
 * its stored log (issue 18 perf). Readers call `current` before querying the index; the
 * derivation engine's history consumer (history.consumer.ts) calls `derive` after commits,
 * so the index is normally current before anyone reads it and a task-history read is only
 * an indexed query. One derivation at a time per document, readers and background alike.
 */
export function createHistoryDeriver(deps: HistoryDeriverDeps) {
  const { db, now } = deps
  const indexes = new Map<string, Promise<HistoryIndex | undefined>>()
  /** Documents with a background run queued (a run leaves when it starts). */
  const queued = new Map<string, Promise<void>>()
  /** Background runs started and not yet ended. */
  const running = new Set<Promise<void>>()
  let stopped = false

  /**
   * The rows after the stored position are derived and stored, `batchRows` at a time with
   * the event loop free in between. The derivation's document stays in memory for the most
   * recently derived boards; otherwise it resumes from the nearest stored state at or
   * before that position (one `?at=`-like rebuild), or starts over from the oldest base
   * when there is no index yet or retention moved that base.
   */
  function indexOf(
    projectId: string,
    win: HistoryWindow,
    batchRows: number,
  ): Promise<HistoryIndex | undefined> {
    const prev = indexes.get(projectId)
    const next = (async () => {
      let idx = await prev?.catch(() => undefined)
      const oldest = win.bases[0]!
      if (idx && (idx.base.seq !== oldest.seq || idx.base.kind !== oldest.kind)) {
        idx.destroy()
        idx = undefined
      }
      if (!idx) {
        let cursor = await readCursor(db, projectId)
        // Derived before board reads were (history_board): derived again from the start.
        if (cursor && !(await hasBoardRows(db, projectId))) cursor = null
        const sameBase = cursor?.base.seq === oldest.seq && cursor.base.kind === oldest.kind
        // Derived up to the last stored update: the stored index answers as it is.
        if (cursor && sameBase && cursor.lastSeq >= (await storedLastSeq(db, projectId)))
          return undefined
        idx = await openIndex(projectId, win, sameBase ? cursor : null, true)
      }
      for (;;) {
        if (stopped) break
        const rows = await logRows(db, projectId, idx.lastSeq, null, null, batchRows)
        // A row costs 2–30 ms on a large board under load: a batch of 500 held the event
        // loop for seconds. Yield whenever a slice is spent (sockets run in between).
        let slice = performance.now()
        for (const r of rows) {
          idx.apply(r)
          if (performance.now() - slice < SLICE_MS) continue
          await yieldTurn()
          slice = performance.now()
        }
        if (rows.length > 0)
          await writeIndex(db, projectId, idx.takeWrite(), deps.boardPackRows, deps.indexPacking)
        if (rows.length < batchRows) break
        await yieldTurn()
      }
      return idx
    })()
    indexes.delete(projectId)
    indexes.set(projectId, next)
    next.catch(() => {
      if (indexes.get(projectId) === next) indexes.delete(projectId)
    })
    while (indexes.size > INDEXES_KEPT) {
      const [oldestId, oldest] = indexes.entries().next().value!
      indexes.delete(oldestId)
      void oldest.then(
        (i) => i?.destroy(),
        () => undefined,
      )
    }
    return next
  }

  /** Whether `projectId`'s derivation is open in memory (moving it on costs no load). */
  async function kept(projectId: string): Promise<boolean> {
    const p = indexes.get(projectId)
    return p ? (await p.catch(() => undefined)) !== undefined : false
  }

  /**
   * What opening a derivation loads and replays: the board's stored snapshot and the log
   * rows kept after it (one row can be a whole imported board: 8.7 MB for 10,000 tasks).
   */
  async function stateBytes(projectId: string): Promise<number> {
    const snapshot = await db
      .selectFrom('doc_snapshots')
      .select([sql<number>`length(state)`.as('bytes'), 'parts_id'])
      .where('doc_name', '=', projectId)
      .executeTakeFirst()
    // A large snapshot is stored in parts, its row's state empty (sync/state-parts.ts).
    const inParts = await partBytes(db, projectId, snapshot?.parts_id ?? null)
    const log = await db
      .selectFrom('doc_updates')
      .select(sql<number>`coalesce(sum(length(${sql.ref('update')})), 0)`.as('bytes'))
      .where('doc_name', '=', projectId)
      .executeTakeFirst()
    return Number(snapshot?.bytes ?? 0) + inParts + Number(log?.bytes ?? 0)
  }

  /** `cursor`: the stored position to resume from (null: start over, clearing a stale one). */
  async function openIndex(
    projectId: string,
    win: HistoryWindow,
    cursor: IndexCursor | null,
    stale: boolean,
  ): Promise<HistoryIndex> {
    const oldest = win.bases[0]!
    if (cursor) {
      // Resume: the document as of the stored position, from the nearest base before it.
      let from = oldest
      for (const b of win.bases) if (b.seq <= cursor.lastSeq) from = b
      const state = await loadBaseUpdates(db, projectId, from)
      const rows = await logRows(db, projectId, from.seq, cursor.lastSeq, null)
      return new HistoryIndex(oldest, [...state, ...rows.map((r) => r.update)], cursor.lastSeq, {
        latest: await latestVersions(db, projectId),
        lastStep: await lastStep(db, projectId),
      })
    }
    if (stale) await clearIndex(db, projectId)
    const idx = new HistoryIndex(
      oldest,
      await loadBaseUpdates(db, projectId, oldest),
      oldest.seq,
      null,
    )
    await writeIndex(db, projectId, idx.takeWrite(), deps.boardPackRows, deps.indexPacking)
    return idx
  }

  return {
    /** The stored index of `projectId` caught up with its stored log (a reader waits). */
    async current(projectId: string, win: HistoryWindow): Promise<void> {
      await indexOf(projectId, win, READ_BATCH_ROWS)
    },

    /**
     * Derives `projectId`'s new rows in the background, in small batches (after a commit).
     * Coalesces: one queued run per document picks up every row committed before it reads.
     * Never throws.
     */
    derive(projectId: string): void {
      if (stopped || deps.days === 0 || queued.has(projectId)) return
      const run = (async () => {
        await yieldTurn()
        queued.delete(projectId)
        const win = await historyWindow(db, projectId, now(), deps.days)
        if (!win || stopped) return
        if (!(await kept(projectId)) && (await stateBytes(projectId)) > BACKGROUND_OPEN_MAX_BYTES)
          return
        await indexOf(projectId, win, BACKGROUND_BATCH_ROWS)
      })().catch((err) => {
        queued.delete(projectId)
        // The next commit or read derives again from the stored position.
        deps.logger?.warn('history derivation failed', { doc: projectId, err: String(err) })
      })
      queued.set(projectId, run)
      // A run leaves `queued` as soon as it starts (so a commit meanwhile queues the next
      // one); `running` keeps it until it ends, so stop() waits for it before the db closes.
      running.add(run)
      void run.finally(() => {
        running.delete(run)
        if (queued.get(projectId) === run) queued.delete(projectId)
      })
    },

    /** Resolves when no background derivation is queued or running (tests). */
    async idle(): Promise<void> {
      while (queued.size > 0 || running.size > 0) {
        await Promise.all([...queued.values(), ...running])
      }
      await Promise.all([...indexes.values()].map((p) => p.catch(() => undefined)))
    },

    /** Stops after the current batch (shutdown, before the database closes). */
    async stop(): Promise<void> {
      stopped = true
      await this.idle()
    },
  }
}

export type HistoryDeriver = ReturnType<typeof createHistoryDeriver>
