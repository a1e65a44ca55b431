import type SQLite from 'better-sqlite3'
import * as Y from 'yjs'
import type { Clock } from '../clock.js'
import { compileOnly } from '../db/compile-only.js'
import { chainState, foldsFor } from '../history/checkpoint-chain.js'
import { checkpointDiff, composeDiff } from '../history/checkpoint-diff.js'
import {
  type CheckpointKind,
  checkpointDue,
  checkpointKind,
  diffKept,
  type HistoryPolicy,
  thinningPlan,
} from '../history/checkpoint-policy.js'

/** What a document's storage holds: the latest snapshot (if any) and the log after it. */
export interface StoredDoc {
  snapshot: Uint8Array | null
  /** Highest seq merged into the snapshot (0 without one). */
  snapshotSeq: number
  /** Log rows with seq > snapshotSeq, in seq order. */
  updates: { seq: number; update: Uint8Array }[]
  /** Highest seq stored for the document (the next append uses lastSeq + 1). */
  lastSeq: number
}

export interface LogRow {
  docName: string
  seq: number
  update: Uint8Array
  userId: string | null
  createdAt: number
}

/** Test seam: called inside the compaction transaction after the snapshot is written. */
export interface CompactionHooks {
  afterSnapshotWrite?: (docName: string) => void
}

/**
 * A compaction's encoding done elsewhere (a worker: sync/compaction-encoder.ts): the state's
 * vector and, when `checkpointInputs` asked for one, the pieces of a diff checkpoint
 * against the checkpoint at `afterSeq`.
 */
export interface PreparedCheckpoint {
  sv: Uint8Array
  afterSeq: number | null
  diff: { update: Uint8Array; own: Uint8Array; deletions: Uint8Array | null } | null
}

/** What encoding a diff checkpoint needs, read before the state is encoded. */
export interface CheckpointInputs {
  afterSeq: number
  prevSv: Uint8Array
  /** Every stored update after that checkpoint (null: not all stored any more). */
  rows: Uint8Array[] | null
}

/** Rows deleted per statement while thinning history; the event loop runs in between. */
const THIN_BATCH_ROWS = 2000

/**
 * The hot path of persistence: prepared better-sqlite3 statements, no query builder.
 * Every method is synchronous and throws on SQLite errors; callers decide what fails.
 */
export class UpdateLog {
  readonly #insert: SQLite.Statement
  readonly #selectSnapshot: SQLite.Statement
  readonly #selectUpdates: SQLite.Statement
  readonly #upsertSnapshot: SQLite.Statement
  readonly #deleteUpto: SQLite.Statement
  readonly #deleteAllUpdates: SQLite.Statement
  readonly #deleteSnapshot: SQLite.Statement
  readonly #appendBatch: (rows: readonly LogRow[]) => void
  readonly #compact: (
    docName: string,
    state: Uint8Array,
    uptoSeq: number,
    now: number,
    doc: Y.Doc | undefined,
    prepared: PreparedCheckpoint | undefined,
  ) => void
  readonly #lastCheckpoint: SQLite.Statement
  readonly #lastFull: SQLite.Statement
  readonly #chainBytes: SQLite.Statement
  readonly #chain: SQLite.Statement
  readonly #logSince: SQLite.Statement
  readonly #rowTime: SQLite.Statement
  readonly #rowsBetween: SQLite.Statement
  readonly #insertCheckpoint: SQLite.Statement
  readonly #deleteCheckpoints: SQLite.Statement
  /** Documents whose history thinning is queued or running, and the run's promise. */
  readonly #thinning = new Map<string, Promise<void>>()
  #stopped = false

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly now: Clock,
    private readonly hooks: CompactionHooks = {},
    /** Board history (issue 18); default none: compaction drops the log it merged. */
    private readonly history: HistoryPolicy = { days: 0, checkpointUpdates: 1 },
  ) {
    this.#insert = sqlite.prepare(
      'INSERT INTO doc_updates (doc_name, seq, "update", user_id, created_at) VALUES (?, ?, ?, ?, ?)',
    )
    this.#selectSnapshot = sqlite.prepare(
      'SELECT upto_seq, state FROM doc_snapshots WHERE doc_name = ?',
    )
    this.#selectUpdates = sqlite.prepare(
      'SELECT seq, "update" FROM doc_updates WHERE doc_name = ? AND seq > ? ORDER BY seq',
    )
    this.#upsertSnapshot = sqlite.prepare(
      `INSERT INTO doc_snapshots (doc_name, upto_seq, state, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (doc_name) DO UPDATE SET upto_seq = excluded.upto_seq, state = excluded.state,
         created_at = excluded.created_at`,
    )
    this.#deleteUpto = sqlite.prepare('DELETE FROM doc_updates WHERE doc_name = ? AND seq <= ?')
    this.#deleteAllUpdates = sqlite.prepare('DELETE FROM doc_updates WHERE doc_name = ?')
    this.#deleteSnapshot = sqlite.prepare('DELETE FROM doc_snapshots WHERE doc_name = ?')
    this.#lastCheckpoint = sqlite.prepare(
      'SELECT upto_seq, upto_at, kind, state_vector FROM doc_checkpoints WHERE doc_name = ? ORDER BY upto_seq DESC LIMIT 1',
    )
    this.#lastFull = sqlite.prepare(
      "SELECT upto_seq FROM doc_checkpoints WHERE doc_name = ? AND kind = 'full' ORDER BY upto_seq DESC LIMIT 1",
    )
    this.#chainBytes = sqlite.prepare(
      'SELECT coalesce(sum(length(state)), 0) AS bytes FROM doc_checkpoints WHERE doc_name = ? AND upto_seq > ?',
    )
    this.#chain = sqlite.prepare(
      'SELECT kind, state FROM doc_checkpoints WHERE doc_name = ? AND upto_seq >= ? AND upto_seq <= ? ORDER BY upto_seq',
    )
    // length() of a blob reads the record header only, not the blob.
    this.#logSince = sqlite.prepare(
      'SELECT count(*) AS n, coalesce(sum(length("update")), 0) AS bytes FROM doc_updates WHERE doc_name = ? AND seq > ? AND seq <= ?',
    )
    this.#rowTime = sqlite.prepare(
      'SELECT created_at FROM doc_updates WHERE doc_name = ? AND seq = ?',
    )
    // Values in order: doc_name, seq >, seq <=.
    this.#rowsBetween = sqlite.prepare(
      compileOnly
        .selectFrom('doc_updates')
        .select(['seq', 'update'])
        .where('doc_name', '=', '')
        .where('seq', '>', 0)
        .where('seq', '<=', 0)
        .orderBy('seq')
        .compile().sql,
    )
    this.#insertCheckpoint = sqlite.prepare(
      `INSERT INTO doc_checkpoints (doc_name, upto_seq, upto_at, state, created_at, kind, state_vector)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (doc_name, upto_seq) DO NOTHING`,
    )
    this.#deleteCheckpoints = sqlite.prepare('DELETE FROM doc_checkpoints WHERE doc_name = ?')
    this.#appendBatch = sqlite.transaction((rows: readonly LogRow[]) => {
      for (const r of rows) this.#insert.run(r.docName, r.seq, r.update, r.userId, r.createdAt)
    })
    // One transaction: either the new snapshot and the shorter log, or neither (SPEC 3.4).
    // With history the log stays (retention thins it later, off this transaction) and the
    // state may also be kept as a checkpoint.
    this.#compact = sqlite.transaction(
      (
        docName: string,
        state: Uint8Array,
        uptoSeq: number,
        now: number,
        doc: Y.Doc | undefined,
        prepared: PreparedCheckpoint | undefined,
      ) => {
        this.#upsertSnapshot.run(docName, uptoSeq, state, now)
        this.hooks.afterSnapshotWrite?.(docName)
        if (this.history.days === 0) {
          this.#deleteUpto.run(docName, uptoSeq)
          this.#deleteCheckpoints.run(docName)
          return
        }
        const last = this.#lastCheckpoint.get(docName) as
          | {
              upto_seq: number
              upto_at: number
              kind: CheckpointKind
              state_vector: Uint8Array | null
            }
          | undefined
        if (last && last.upto_seq >= uptoSeq) return
        const fullSeq =
          (this.#lastFull.get(docName) as { upto_seq: number } | undefined)?.upto_seq ?? 0
        const since = this.#logSince.get(docName, last?.upto_seq ?? 0, uptoSeq) as { n: number }
        const sinceFull = this.#logSince.get(docName, fullSeq, uptoSeq) as { bytes: number }
        const chain = this.#chainBytes.get(docName, fullSeq) as { bytes: number }
        const row = this.#rowTime.get(docName, uptoSeq) as { created_at: number } | undefined
        const uptoAt = row?.created_at ?? now
        const facts = {
          last: last ? { uptoSeq: last.upto_seq, uptoAt: last.upto_at } : null,
          updatesSince: since.n,
          logBytesSinceFull: sinceFull.bytes,
          chainBytes: chain.bytes,
          stateBytes: state.length,
          uptoAt,
        }
        const kind = checkpointKind(facts, this.history)
        if (kind === null) return
        // With the live document (equal to `state`) or a worker's encoding, both come
        // without decoding the state here.
        const sv =
          prepared?.sv ?? (doc ? Y.encodeStateVector(doc) : Y.encodeStateVectorFromUpdate(state))
        if (kind === 'full' || !last) {
          this.#insertCheckpoint.run(docName, uptoSeq, uptoAt, state, now, 'full', sv)
          return
        }
        if (prepared?.diff && prepared.afterSeq === last.upto_seq) {
          const { update, own, deletions } = prepared.diff
          const diff = composeDiff(update, own, deletions)
          if (diffKept(facts, diff.length)) {
            this.#insertCheckpoint.run(docName, uptoSeq, uptoAt, diff, now, 'diff', sv)
          }
          return
        }
        // Rows written before diffs existed are all full, and carry no state vector.
        const prevSv =
          last.state_vector ??
          Y.encodeStateVectorFromUpdate(
            chainState(
              this.#chain.all(docName, fullSeq, last.upto_seq) as {
                kind: CheckpointKind
                state: Uint8Array
              }[],
            ),
          )
        // Only the deletions since the previous checkpoint (checkpoint-diff.ts): the rows it
        // covers, when all are still stored.
        const rows = this.#rowsBetween.all(docName, last.upto_seq, uptoSeq) as {
          seq: number
          update: Uint8Array
        }[]
        const complete =
          rows.length === uptoSeq - last.upto_seq && rows[0]?.seq === last.upto_seq + 1
        const diff = checkpointDiff(
          state,
          doc,
          sv,
          prevSv,
          complete ? rows.map((r) => r.update) : null,
        )
        if (diffKept(facts, diff.length)) {
          this.#insertCheckpoint.run(docName, uptoSeq, uptoAt, diff, now, 'diff', sv)
        }
      },
    )
  }

  load(docName: string): StoredDoc {
    const snap = this.#selectSnapshot.get(docName) as
      | { upto_seq: number; state: Uint8Array }
      | undefined
    const snapshotSeq = snap?.upto_seq ?? 0
    const updates = (
      this.#selectUpdates.all(docName, snapshotSeq) as { seq: number; update: Uint8Array }[]
    ).map((r) => ({ seq: r.seq, update: r.update }))
    const lastSeq = updates.length > 0 ? updates[updates.length - 1]!.seq : snapshotSeq
    return { snapshot: snap?.state ?? null, snapshotSeq, updates, lastSeq }
  }

  /** Appends rows of any documents in one transaction (group commit). */
  append(rows: readonly LogRow[]): void {
    this.#appendBatch(rows)
  }

  /**
   * Replaces the snapshot with `state` (which must include every update <= uptoSeq) and drops
   * those log rows, atomically. `doc`, when the caller holds the live document `state` was
   * encoded from, spares a history checkpoint decoding the state again.
   */
  compact(
    docName: string,
    state: Uint8Array,
    uptoSeq: number,
    doc?: Y.Doc,
    prepared?: PreparedCheckpoint,
  ): void {
    this.#compact(docName, state, uptoSeq, this.now(), doc, prepared)
    if (this.history.days > 0) this.#scheduleThinning(docName)
  }

  /**
   * For a compaction up to `uptoSeq` encoded off this thread: the previous checkpoint's state
   * vector and the rows after it, when a diff checkpoint may be due then (null otherwise, or
   * when that checkpoint predates stored state vectors: compaction computes it itself).
   */
  checkpointInputs(docName: string, uptoSeq: number): CheckpointInputs | null {
    if (this.history.days === 0) return null
    const last = this.#lastCheckpoint.get(docName) as
      | { upto_seq: number; upto_at: number; state_vector: Uint8Array | null }
      | undefined
    if (!last || last.upto_seq >= uptoSeq || !last.state_vector) return null
    const row = this.#rowTime.get(docName, uptoSeq) as { created_at: number } | undefined
    const due = checkpointDue(
      {
        last: { uptoSeq: last.upto_seq, uptoAt: last.upto_at },
        updatesSince: uptoSeq - last.upto_seq,
        uptoAt: row?.created_at ?? this.now(),
      },
      this.history,
    )
    if (!due) return null
    const rows = this.#rowsBetween.all(docName, last.upto_seq, uptoSeq) as {
      seq: number
      update: Uint8Array
    }[]
    const complete = rows.length === uptoSeq - last.upto_seq && rows[0]?.seq === last.upto_seq + 1
    return {
      afterSeq: last.upto_seq,
      prevSv: last.state_vector,
      rows: complete ? rows.map((r) => r.update) : null,
    }
  }

  deleteDocument(docName: string): void {
    this.sqlite.transaction(() => {
      this.#deleteAllUpdates.run(docName)
      this.#deleteSnapshot.run(docName)
      this.#deleteCheckpoints.run(docName)
    })()
  }

  /** Resolves when no history thinning runs (tests, shutdown). */
  async thinningIdle(): Promise<void> {
    while (this.#thinning.size > 0) await Promise.all([...this.#thinning.values()])
  }

  /** Stops thinning after its current batch (shutdown, before the database closes). */
  async stop(): Promise<void> {
    this.#stopped = true
    await this.thinningIdle()
  }

  /**
   * Retention (checkpoint-policy.ts thinningPlan) for one document, after its compaction:
   * checkpoints go in one statement, old rows in batches of THIN_BATCH_ROWS with the event
   * loop free in between, so relaying never waits for it long. Never throws.
   */
  #scheduleThinning(docName: string): void {
    if (this.#thinning.has(docName) || this.#stopped) return
    const run = (async () => {
      await yieldTurn()
      const rows = this.sqlite
        .prepare('SELECT upto_seq, upto_at, kind FROM doc_checkpoints WHERE doc_name = ?')
        .all(docName) as { upto_seq: number; upto_at: number; kind: CheckpointKind }[]
      const plan = thinningPlan(
        rows.map((r) => ({ uptoSeq: r.upto_seq, uptoAt: r.upto_at })),
        this.now(),
        this.history.days,
      )
      if (plan.dropCheckpoints.length > 0) {
        const del = this.sqlite.prepare(
          'DELETE FROM doc_checkpoints WHERE doc_name = ? AND upto_seq = ?',
        )
        const stateOf = this.sqlite.prepare(
          'SELECT state FROM doc_checkpoints WHERE doc_name = ? AND upto_seq = ?',
        )
        const rewrite = this.sqlite.prepare(
          'UPDATE doc_checkpoints SET state = ?, kind = ? WHERE doc_name = ? AND upto_seq = ?',
        )
        // A kept diff after dropped checkpoints absorbs them, in the same transaction as
        // the deletes: every checkpoint left still loads (checkpoint-chain.ts).
        const folds = foldsFor(
          rows.map((r) => ({ uptoSeq: r.upto_seq, kind: r.kind })),
          new Set(plan.dropCheckpoints),
        )
        this.sqlite.transaction(() => {
          for (const f of folds) {
            const states = [...f.from, f.into].map(
              (seq) => (stateOf.get(docName, seq) as { state: Uint8Array }).state,
            )
            rewrite.run(Y.mergeUpdates(states), f.kind, docName, f.into)
          }
          for (const seq of plan.dropCheckpoints) del.run(docName, seq)
        })()
      }
      if (plan.dropRowsUpto === 0) return
      const first = this.sqlite
        .prepare('SELECT min(seq) AS seq FROM doc_updates WHERE doc_name = ?')
        .get(docName) as { seq: number | null }
      const delRows = this.sqlite.prepare(
        'DELETE FROM doc_updates WHERE doc_name = ? AND seq > ? AND seq <= ?',
      )
      for (let from = (first.seq ?? 1) - 1; from < plan.dropRowsUpto; from += THIN_BATCH_ROWS) {
        if (this.#stopped || !this.sqlite.open) return
        delRows.run(docName, from, Math.min(from + THIN_BATCH_ROWS, plan.dropRowsUpto))
        await yieldTurn()
      }
    })()
      .catch(() => {
        // Retried at the next compaction; what stays is only more history than asked for.
      })
      .finally(() => this.#thinning.delete(docName))
    this.#thinning.set(docName, run)
  }
}

const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve))
