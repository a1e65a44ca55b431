import { CompiledQuery, type Insertable, sql } from 'kysely'
import * as Y from 'yjs'
import type { Clock } from '../clock.js'
import { type Db, dialectOf } from '../db/database.js'
import type { DocCheckpointsTable } from '../db/schema.js'
import { derivationFloor } from '../derivation/cursors.repository.js'
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
import {
  deleteUnreferencedParts,
  joinedState,
  type PartHook,
  STATE_PART_BYTES,
  type StagedState,
  type StoredState,
  stagedComplete,
  stageState,
  yieldTurn,
} from './state-parts.js'
import { updateBytes, updateIfSmall, withLargeUpdates } from './update-pieces.js'

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

/** A Yjs client ID bound to a user (SPEC 7), written in the transaction of the update that made it. */
export interface BindingRow {
  docName: string
  clientId: number
  userId: string
  createdAt: number
}

/** Test seams of compaction. */
export interface CompactionHooks {
  /** Called inside the transaction that makes the new snapshot current (a throw aborts it). */
  afterSnapshotWrite?: (docName: string) => void
  /** Called after each part of a large state is staged (a throw: a crash between parts). */
  afterStatePart?: PartHook
}

const EMPTY_STATE = new Uint8Array(0)

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

/** Running totals kept on a checkpoint row (see doc_checkpoints in db/schema.ts). */
interface RunningSizes {
  logBytesSinceFull: number
  chainBytes: number
}

/** Rows deleted per statement while thinning history; the event loop runs in between. */
const THIN_BATCH_ROWS = 2000
/**
 * Rows per INSERT statement of a group commit: 5 parameters a row stays far below both
 * SQLite's (32,766) and Postgres's (65,535) limit on bound parameters.
 */
const INSERT_CHUNK_ROWS = 1000

/** SQL of a group commit's inserts, compiled once per dialect, table and row count. */
const compiledInserts = new Map<string, string>()

/**
 * The SQL Kysely compiles for inserting `n` rows of `table` (with `dummy`'s columns, in that
 * order), compiled once and kept: a group commit runs every turn under load, and building
 * and compiling the same query each time cost more than executing it.
 */
function insertSql(
  trx: Db,
  table: 'doc_updates' | 'client_bindings',
  n: number,
  build: (n: number) => { compile(): { sql: string } },
): string {
  const key = `${dialectOf(trx)}:${table}:${n}`
  let text = compiledInserts.get(key)
  if (text === undefined) {
    text = build(n).compile().sql
    if (compiledInserts.size >= 2 * INSERT_CHUNK_ROWS) compiledInserts.clear()
    compiledInserts.set(key, text)
  }
  return text
}

const logRowsInsert = (trx: Db) => (n: number) =>
  trx.insertInto('doc_updates').values(
    Array.from({ length: n }, () => ({
      doc_name: '',
      seq: 0,
      update: new Uint8Array(0),
      user_id: '',
      created_at: 0,
    })),
  )

const bindingsInsert = (trx: Db) => (n: number) =>
  trx
    .insertInto('client_bindings')
    .values(
      Array.from({ length: n }, () => ({ doc_name: '', client_id: 0, user_id: '', created_at: 0 })),
    )
    .onConflict((oc) => oc.columns(['doc_name', 'client_id']).doNothing())

/**
 * Inserts log rows (seqs already set) and the client-ID bindings they made, inside `trx`.
 * Shared by the one-node group commit and the cluster log. A binding already stored is kept
 * (a binding never moves to another user, SPEC 7). The statements are Kysely's, compiled
 * once per row count (insertSql); the parameters follow the compiled columns' order.
 */
export async function insertLogRows(
  trx: Db,
  rows: readonly LogRow[],
  bindings: readonly BindingRow[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK_ROWS) {
    const part = rows.slice(i, i + INSERT_CHUNK_ROWS)
    const params: unknown[] = []
    for (const r of part) params.push(r.docName, r.seq, r.update, r.userId, r.createdAt)
    await trx.executeQuery(
      CompiledQuery.raw(insertSql(trx, 'doc_updates', part.length, logRowsInsert(trx)), params),
    )
  }
  for (let i = 0; i < bindings.length; i += INSERT_CHUNK_ROWS) {
    const part = bindings.slice(i, i + INSERT_CHUNK_ROWS)
    const params: unknown[] = []
    for (const b of part) params.push(b.docName, b.clientId, b.userId, b.createdAt)
    await trx.executeQuery(
      CompiledQuery.raw(
        insertSql(trx, 'client_bindings', part.length, bindingsInsert(trx)),
        params,
      ),
    )
  }
}

/**
 * The update log, snapshots and history checkpoints of every document, through Kysely on
 * either dialect (SQLite or Postgres). Every method is async and rejects on a database error;
 * callers decide what fails. Writes of one call are one transaction.
 */
export class UpdateLog {
  /** Documents whose history thinning is queued or running, and the run's promise. */
  readonly #thinning = new Map<string, Promise<void>>()
  /**
   * Documents whose last compaction stopped at the lowest derivation cursor, and the seq it
   * was asked to reach: compactToFloor finishes it once the consumers have read further.
   */
  readonly #capped = new Map<string, number>()
  #stopped = false
  /** Each document's running compaction: one at a time (staging and garbage never overlap). */
  readonly #compacting = new Map<string, Promise<void>>()

  constructor(
    private readonly db: Db,
    private readonly now: Clock,
    private readonly hooks: CompactionHooks = {},
    /** Board history (issue 18); default none: compaction drops the log it merged. */
    private readonly history: HistoryPolicy = { days: 0, checkpointUpdates: 1 },
  ) {}

  async load(docName: string): Promise<StoredDoc> {
    for (;;) {
      // One snapshot of the database (repeatable read: Postgres's default read committed would
      // let a compaction commit between the two reads and leave a gap; SQLite's transactions
      // are serializable anyway).
      const stored = await this.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (trx) => {
          const snap = await trx
            .selectFrom('doc_snapshots')
            .select(['upto_seq', 'state', 'parts_id', 'parts'])
            .where('doc_name', '=', docName)
            .executeTakeFirst()
          const snapshotSeq = snap?.upto_seq ?? 0
          const updates = await trx
            .selectFrom('doc_updates')
            .select(['seq', updateIfSmall().as('update'), updateBytes().as('bytes')])
            .where('doc_name', '=', docName)
            .where('seq', '>', snapshotSeq)
            .orderBy('seq')
            .execute()
          const lastSeq = updates.length > 0 ? updates[updates.length - 1]!.seq : snapshotSeq
          const snapshot = snap ? await joinedState(trx, snap) : null
          return { snapshot, snapshotSeq, updates, lastSeq }
        })
      // A large update (an imported board) is read after, in pieces, the event loop free in
      // between; if a compaction removed it meanwhile, the document is read again.
      const updates = await withLargeUpdates(this.db, docName, stored.updates)
      if (updates) return { ...stored, updates }
    }
  }

  /**
   * Appends rows of any documents, and the client-ID bindings they made, in one transaction
   * (group commit). A binding already stored is kept (a binding never moves to another user).
   */
  async append(rows: readonly LogRow[], bindings: readonly BindingRow[] = []): Promise<void> {
    await this.db.transaction().execute((trx) => insertLogRows(trx, rows, bindings))
  }

  /**
   * Replaces the snapshot with `state` (which must include every update <= uptoSeq) and drops
   * those log rows, atomically (SPEC 3.4). With history the log stays (retention thins it
   * later, off this transaction) and the state may also be kept as a checkpoint.
   */
  async compact(
    docName: string,
    state: Uint8Array,
    uptoSeq: number,
    doc?: Y.Doc,
    prepared?: PreparedCheckpoint,
  ): Promise<void> {
    // One at a time per document: a compaction deletes the parts no row points at, which
    // would include another one's parts still being staged.
    const before = this.#compacting.get(docName)
    const run = (async () => {
      if (before) await before.catch(() => {})
      if (this.history.days > 0)
        await this.#compactKeepingHistory(docName, state, uptoSeq, doc, prepared)
      else await this.#compactDroppingLog(docName, state, uptoSeq)
    })()
    this.#compacting.set(docName, run)
    try {
      await run
    } finally {
      if (this.#compacting.get(docName) === run) this.#compacting.delete(docName)
    }
  }

  /**
   * Without history: the snapshot and the deletion of the rows it holds in one transaction,
   * the state inline (SPEC 3.4).
   */
  async #compactDroppingLog(docName: string, state: Uint8Array, uptoSeq: number): Promise<void> {
    const now = this.now()
    await this.db.transaction().execute(async (trx) => {
      // Never merge and drop rows a derivation consumer has not read yet (it reads them by
      // seq, and a fold built from a later snapshot cannot tell what they changed): compact
      // only up to the lowest cursor, from the stored snapshot and rows.
      const floor = await derivationFloor(trx, docName)
      if (floor !== null && floor < uptoSeq) {
        this.#capped.set(docName, Math.max(uptoSeq, this.#capped.get(docName) ?? 0))
        const capped = await this.#stateAt(trx, docName, floor)
        if (!capped) return
        state = capped
        uptoSeq = floor
      }
      await this.#putSnapshot(trx, docName, uptoSeq, state, null, now)
      this.hooks.afterSnapshotWrite?.(docName)
      await trx
        .deleteFrom('doc_updates')
        .where('doc_name', '=', docName)
        .where('seq', '<=', uptoSeq)
        .execute()
      await trx.deleteFrom('doc_checkpoints').where('doc_name', '=', docName).execute()
    })
    // A snapshot or checkpoints stored in parts while history was on.
    await deleteUnreferencedParts(this.db, docName)
  }

  /**
   * With history: the log stays (retention thins it later), and the state may also be kept
   * as a checkpoint. SQLite has one write lock, which every group commit takes before it
   * relays, so no write here holds it long (issue 18: compaction never blocks the relay path
   * for > 50 ms): a large state is staged in parts of STATE_PART_BYTES, each its own
   * transaction, then one small transaction makes the snapshot point at them; the checkpoint
   * (decided in a read transaction) is another small one, sharing the snapshot's parts when
   * it is the same state. A crash at any point leaves the previous snapshot and checkpoints
   * complete; the parts nothing points at are deleted at the end (or by the next compaction).
   */
  async #compactKeepingHistory(
    docName: string,
    state: Uint8Array,
    uptoSeq: number,
    doc: Y.Doc | undefined,
    prepared: PreparedCheckpoint | undefined,
  ): Promise<void> {
    const now = this.now()
    const staged = await this.#stage(docName, state)
    await this.db.transaction().execute(async (trx) => {
      // Parts a concurrent clean-up took (not in this process: compactions of a document
      // are serialized) would leave a snapshot that does not load: keep the old one.
      if (staged && !(await stagedComplete(trx, staged))) {
        throw new Error(`snapshot parts of ${docName} went missing while staged`)
      }
      await this.#putSnapshot(trx, docName, uptoSeq, state, staged, now)
      this.hooks.afterSnapshotWrite?.(docName)
    })
    // The checkpoint a full turn of the event loop later: a crash in between only loses this
    // checkpoint (the rows stay; the next compaction's policy sees no checkpoint here).
    await yieldTurn()
    const values = await this.db
      .transaction()
      .execute((trx) => this.#checkpoint(trx, docName, state, uptoSeq, now, doc, prepared))
    if (values) {
      const bytes = values.state
      const parts =
        bytes === state && staged ? staged : await this.#stage(docName, bytes as Uint8Array)
      await this.db
        .insertInto('doc_checkpoints')
        .values(
          parts
            ? { ...values, state: EMPTY_STATE, parts_id: parts.id, parts: parts.parts }
            : values,
        )
        .onConflict((oc) => oc.columns(['doc_name', 'upto_seq']).doNothing())
        .execute()
    }
    await deleteUnreferencedParts(this.db, docName)
    this.#scheduleThinning(docName)
  }

  /** Stages a state larger than one part (state-parts.ts); null: small enough to store inline. */
  async #stage(docName: string, state: Uint8Array): Promise<StagedState | null> {
    if (state.length <= STATE_PART_BYTES) return null
    return stageState(this.db, docName, state, this.hooks.afterStatePart)
  }

  /** Upserts the snapshot, never moving it back (a snapshot further on already holds these rows). */
  async #putSnapshot(
    trx: Db,
    docName: string,
    uptoSeq: number,
    state: Uint8Array,
    staged: StagedState | null,
    now: number,
  ): Promise<void> {
    await trx
      .insertInto('doc_snapshots')
      .values({
        doc_name: docName,
        upto_seq: uptoSeq,
        state: staged ? EMPTY_STATE : state,
        parts_id: staged?.id ?? null,
        parts: staged?.parts ?? null,
        created_at: now,
      })
      .onConflict((oc) =>
        oc
          .column('doc_name')
          .doUpdateSet({
            upto_seq: (eb) => eb.ref('excluded.upto_seq'),
            state: (eb) => eb.ref('excluded.state'),
            parts_id: (eb) => eb.ref('excluded.parts_id'),
            parts: (eb) => eb.ref('excluded.parts'),
            created_at: (eb) => eb.ref('excluded.created_at'),
          })
          .where((eb) => eb('doc_snapshots.upto_seq', '<', eb.ref('excluded.upto_seq'))),
      )
      .execute()
  }

  /**
   * Finishes a compaction that stopped at the lowest derivation cursor (compact), as far as
   * the consumers have read now: the derivation engine calls it after a run. With several
   * nodes the caller holds the compaction lease. No-op when nothing was held back.
   */
  async compactToFloor(docName: string): Promise<void> {
    const target = this.#capped.get(docName)
    if (target === undefined) return
    const floor = await derivationFloor(this.db, docName)
    if (floor === null || floor >= target) this.#capped.delete(docName)
    if (floor === null) return
    const upto = Math.min(floor, target)
    const state = await this.#stateAt(this.db, docName, upto)
    if (state) await this.compact(docName, state, upto)
  }

  /**
   * The document's state at `seq` as one update, merged from the stored snapshot and rows
   * up to `seq` (no Yjs document is built: this runs inside the compaction transaction);
   * null when the stored snapshot is already there, or rows are missing.
   */
  async #stateAt(trx: Db, docName: string, seq: number): Promise<Uint8Array | null> {
    const snap = await trx
      .selectFrom('doc_snapshots')
      .select(['upto_seq', 'state', 'parts_id', 'parts'])
      .where('doc_name', '=', docName)
      .executeTakeFirst()
    const from = snap?.upto_seq ?? 0
    if (from >= seq) return null
    const rows = await this.#rowsBetween(trx, docName, from, seq)
    if (!rows) return null
    return Y.mergeUpdates(snap ? [await joinedState(trx, snap), ...rows] : rows)
  }

  /**
   * The checkpoint row to keep for a compaction up to `uptoSeq`, or null for none: decided
   * and encoded here (reads only), written by the caller in its own short transaction, in
   * parts when large. A full one's `state` is `state` itself (the caller shares its parts).
   */
  async #checkpoint(
    trx: Db,
    docName: string,
    state: Uint8Array,
    uptoSeq: number,
    now: number,
    doc: Y.Doc | undefined,
    prepared: PreparedCheckpoint | undefined,
  ): Promise<Insertable<DocCheckpointsTable> | null> {
    const last = await trx
      .selectFrom('doc_checkpoints')
      .select([
        'upto_seq',
        'upto_at',
        'kind',
        'state_vector',
        'log_bytes_since_full',
        'chain_bytes',
      ])
      .where('doc_name', '=', docName)
      .orderBy('upto_seq', 'desc')
      .limit(1)
      .executeTakeFirst()
    if (last && last.upto_seq >= uptoSeq) return null
    const row = await trx
      .selectFrom('doc_updates')
      .select('created_at')
      .where('doc_name', '=', docName)
      .where('seq', '=', uptoSeq)
      .executeTakeFirst()
    const uptoAt = row?.created_at ?? now
    const lastFacts = last ? { uptoSeq: last.upto_seq, uptoAt: last.upto_at } : null
    // Most compactions keep no checkpoint: decided from the seqs and times alone, before
    // anything is measured (seqs are dense after the newest checkpoint: thinning drops rows
    // only before the oldest one).
    const updatesSince = uptoSeq - (last?.upto_seq ?? 0)
    if (!checkpointDue({ last: lastFacts, updatesSince, uptoAt }, this.history)) return null
    // A worker's encoding comes with the vector; otherwise from `state`, never the live
    // document: it may move on while this transaction awaits.
    const sv = prepared?.sv ?? Y.encodeStateVectorFromUpdate(state)
    const checkpointRow = (
      kind: CheckpointKind,
      bytes: Uint8Array,
      sizes: RunningSizes,
    ): Insertable<DocCheckpointsTable> => ({
      doc_name: docName,
      upto_seq: uptoSeq,
      upto_at: uptoAt,
      state: bytes,
      created_at: now,
      kind,
      state_vector: sv,
      log_bytes_since_full: sizes.logBytesSinceFull,
      chain_bytes: sizes.chainBytes,
    })
    if (!last) return checkpointRow('full', state, { logBytesSinceFull: 0, chainBytes: 0 })
    const sizes = await this.#sizesSinceFull(trx, docName, last, uptoSeq)
    const facts = {
      last: lastFacts,
      updatesSince,
      ...sizes,
      stateBytes: state.length,
      uptoAt,
    }
    const kind = checkpointKind(facts, this.history)
    if (kind === null) return null
    if (kind === 'full')
      return checkpointRow('full', state, { logBytesSinceFull: 0, chainBytes: 0 })
    const keep = (diff: Uint8Array) =>
      diffKept(facts, diff.length)
        ? checkpointRow('diff', diff, {
            logBytesSinceFull: sizes.logBytesSinceFull,
            chainBytes: sizes.chainBytes + diff.length,
          })
        : null
    if (prepared?.diff && prepared.afterSeq === last.upto_seq) {
      const { update, own, deletions } = prepared.diff
      return keep(composeDiff(update, own, deletions))
    }
    // Rows written before diffs existed are all full, and carry no state vector.
    const prevSv =
      last.state_vector ??
      Y.encodeStateVectorFromUpdate(
        chainState(
          await this.#joined(
            trx,
            await trx
              .selectFrom('doc_checkpoints')
              .select(['kind', 'state', 'parts_id', 'parts'])
              .where('doc_name', '=', docName)
              .where('upto_seq', '>=', await this.#newestFullSeq(trx, docName))
              .where('upto_seq', '<=', last.upto_seq)
              .orderBy('upto_seq')
              .execute(),
          ),
        ),
      )
    // Only the deletions since the previous checkpoint (checkpoint-diff.ts): the rows it
    // covers, when all are still stored. The live doc only while it still equals `state`.
    const rows = await this.#rowsBetween(trx, docName, last.upto_seq, uptoSeq)
    const live = doc && Y.encodeStateVector(doc)
    const same = live && Buffer.compare(Buffer.from(live), Buffer.from(sv)) === 0
    return keep(checkpointDiff(state, same ? doc : undefined, sv, prevSv, rows))
  }

  /**
   * The sizes the policy weighs for a checkpoint at `uptoSeq` after `last`: from the running
   * totals kept on `last` plus the rows after it (at most a checkpoint's spacing and one
   * compaction), so the write transaction never scans the log back to the newest full
   * checkpoint (176–193 ms on a 2,000-task board: docs/benchmarks.md). Checkpoints from
   * before the totals were kept are measured as they were.
   */
  async #sizesSinceFull(
    trx: Db,
    docName: string,
    last: {
      upto_seq: number
      kind: CheckpointKind
      log_bytes_since_full: number | null
      chain_bytes: number | null
    },
    uptoSeq: number,
  ): Promise<RunningSizes> {
    const logBytes = async (after: number) =>
      Number(
        (
          await trx
            .selectFrom('doc_updates')
            // length() of a blob reads the record header only, not the blob (SQLite).
            .select(sql<number>`coalesce(sum(length("update")), 0)`.as('bytes'))
            .where('doc_name', '=', docName)
            .where('seq', '>', after)
            .where('seq', '<=', uptoSeq)
            .executeTakeFirstOrThrow()
        ).bytes,
      )
    if (last.kind === 'full')
      return { logBytesSinceFull: await logBytes(last.upto_seq), chainBytes: 0 }
    if (last.log_bytes_since_full !== null && last.chain_bytes !== null) {
      return {
        logBytesSinceFull: last.log_bytes_since_full + (await logBytes(last.upto_seq)),
        chainBytes: last.chain_bytes,
      }
    }
    const fullSeq = await this.#newestFullSeq(trx, docName)
    const chain = await trx
      .selectFrom('doc_checkpoints')
      .select(sql<number>`coalesce(sum(length(state)), 0)`.as('bytes'))
      .where('doc_name', '=', docName)
      .where('upto_seq', '>', fullSeq)
      .executeTakeFirstOrThrow()
    return { logBytesSinceFull: await logBytes(fullSeq), chainBytes: Number(chain.bytes) }
  }

  /** Rows with their states joined from parts where stored so. */
  async #joined<R extends StoredState>(trx: Db, rows: R[]): Promise<R[]> {
    const out: R[] = []
    for (const r of rows) out.push({ ...r, state: await joinedState(trx, r) })
    return out
  }

  async #newestFullSeq(trx: Db, docName: string): Promise<number> {
    const row = await trx
      .selectFrom('doc_checkpoints')
      .select('upto_seq')
      .where('doc_name', '=', docName)
      .where('kind', '=', 'full')
      .orderBy('upto_seq', 'desc')
      .limit(1)
      .executeTakeFirst()
    return row?.upto_seq ?? 0
  }

  /** The updates with `after < seq <= upto`, or null when not all of them are stored. */
  async #rowsBetween(
    db: Db,
    docName: string,
    after: number,
    upto: number,
  ): Promise<Uint8Array[] | null> {
    const rows = await db
      .selectFrom('doc_updates')
      .select(['seq', 'update'])
      .where('doc_name', '=', docName)
      .where('seq', '>', after)
      .where('seq', '<=', upto)
      .orderBy('seq')
      .execute()
    const complete = rows.length === upto - after && rows[0]?.seq === after + 1
    return complete ? rows.map((r) => r.update) : null
  }

  /**
   * For a compaction up to `uptoSeq` encoded off this thread: the previous checkpoint's state
   * vector and the rows after it, when a diff checkpoint may be due then (null otherwise, or
   * when that checkpoint predates stored state vectors: compaction computes it itself).
   */
  async checkpointInputs(docName: string, uptoSeq: number): Promise<CheckpointInputs | null> {
    if (this.history.days === 0) return null
    const last = await this.db
      .selectFrom('doc_checkpoints')
      .select(['upto_seq', 'upto_at', 'state_vector'])
      .where('doc_name', '=', docName)
      .orderBy('upto_seq', 'desc')
      .limit(1)
      .executeTakeFirst()
    if (!last || last.upto_seq >= uptoSeq || !last.state_vector) return null
    const row = await this.db
      .selectFrom('doc_updates')
      .select('created_at')
      .where('doc_name', '=', docName)
      .where('seq', '=', uptoSeq)
      .executeTakeFirst()
    const due = checkpointDue(
      {
        last: { uptoSeq: last.upto_seq, uptoAt: last.upto_at },
        updatesSince: uptoSeq - last.upto_seq,
        uptoAt: row?.created_at ?? this.now(),
      },
      this.history,
    )
    if (!due) return null
    return {
      afterSeq: last.upto_seq,
      prevSv: last.state_vector,
      rows: await this.#rowsBetween(this.db, docName, last.upto_seq, uptoSeq),
    }
  }

  async deleteDocument(docName: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('doc_state_parts').where('doc_name', '=', docName).execute()
      await trx.deleteFrom('doc_updates').where('doc_name', '=', docName).execute()
      await trx.deleteFrom('doc_snapshots').where('doc_name', '=', docName).execute()
      await trx.deleteFrom('doc_checkpoints').where('doc_name', '=', docName).execute()
    })
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
   * checkpoints go in one transaction, old rows in batches of THIN_BATCH_ROWS with the event
   * loop free in between, so relaying never waits for it long. Never throws.
   */
  #scheduleThinning(docName: string): void {
    if (this.#thinning.has(docName) || this.#stopped) return
    const run = (async () => {
      await yieldTurn()
      const db = this.db
      const rows = await db
        .selectFrom('doc_checkpoints')
        .select(['upto_seq', 'upto_at', 'kind'])
        .where('doc_name', '=', docName)
        .execute()
      const plan = thinningPlan(
        rows.map((r) => ({ uptoSeq: r.upto_seq, uptoAt: r.upto_at })),
        this.now(),
        this.history.days,
      )
      if (plan.dropCheckpoints.length > 0) {
        // A kept diff after dropped checkpoints absorbs them, in the same transaction as
        // the deletes: every checkpoint left still loads (checkpoint-chain.ts).
        const folds = foldsFor(
          rows.map((r) => ({ uptoSeq: r.upto_seq, kind: r.kind })),
          new Set(plan.dropCheckpoints),
        )
        await db.transaction().execute(async (trx) => {
          for (const f of folds) {
            const states: Uint8Array[] = []
            for (const seq of [...f.from, f.into]) {
              const r = await trx
                .selectFrom('doc_checkpoints')
                .select(['state', 'parts_id', 'parts'])
                .where('doc_name', '=', docName)
                .where('upto_seq', '=', seq)
                .executeTakeFirstOrThrow()
              states.push(await joinedState(trx, r))
            }
            // Inline (its parts, if any, become garbage for the next compaction). A fold
            // into a full state writes a large blob here: rare (retention, once a day at
            // most), not on a compaction's path; not split into parts yet.
            await trx
              .updateTable('doc_checkpoints')
              .set({ state: Y.mergeUpdates(states), kind: f.kind, parts_id: null, parts: null })
              .where('doc_name', '=', docName)
              .where('upto_seq', '=', f.into)
              .execute()
          }
          await trx
            .deleteFrom('doc_checkpoints')
            .where('doc_name', '=', docName)
            .where('upto_seq', 'in', plan.dropCheckpoints)
            .execute()
          // Folding changes what the running totals after it count: the newest checkpoint's
          // (the only ones compaction reads) are measured again at the next checkpoint.
          if (folds.length > 0) {
            await trx
              .updateTable('doc_checkpoints')
              .set({ log_bytes_since_full: null, chain_bytes: null })
              .where('doc_name', '=', docName)
              .where('upto_seq', '>=', Math.min(...folds.map((f) => f.into)))
              .execute()
          }
        })
      }
      if (plan.dropRowsUpto === 0) return
      const first = await db
        .selectFrom('doc_updates')
        .select((eb) => eb.fn.min('seq').as('seq'))
        .where('doc_name', '=', docName)
        .executeTakeFirst()
      for (let from = (first?.seq ?? 1) - 1; from < plan.dropRowsUpto; from += THIN_BATCH_ROWS) {
        if (this.#stopped) return
        await db
          .deleteFrom('doc_updates')
          .where('doc_name', '=', docName)
          .where('seq', '>', from)
          .where('seq', '<=', Math.min(from + THIN_BATCH_ROWS, plan.dropRowsUpto))
          .execute()
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
