import type { TaskHistoryField } from '@taskflow/api'
import type { Db } from '../db/database.js'
import { DEFAULT_PACK_ROWS, packJson, patchesJson, unpackJson } from './board-packs.js'
import type { BoardPatch, ProjectedBoard } from './board-projection.js'
import type { ReplayBase } from './history.repository.js'
import {
  DEFAULT_INDEX_PACKING,
  type IndexPacking,
  idKey,
  packSteps,
  packVersions,
  unpackSteps,
  unpackVersions,
} from './history-index-packs.js'

/*
 * The stored history index (issue 18 perf): field versions and change steps derived from
 * the update log (history-index.ts), and how far the derivation got. A read is an indexed
 * query; the derivation only ever applies the log rows after `last_seq`. A document's
 * oldest versions and steps are packed into compressed pieces (history-index-packs.ts,
 * `history_index_packs`; which versions pieces hold which task: `history_index_pack_tasks`)
 * and the newest wait as plain rows (`history_versions`, `history_steps`): every piece
 * comes before every plain row, in the order they were derived.
 */

export interface StoredVersion {
  taskId: string
  seq: number
  at: number
  userId: string | null
  field: TaskHistoryField
  value: unknown
  initial: boolean
}

export interface StoredStep {
  fromSeq: number
  toSeq: number
  startedAt: number
  at: number
  userId: string | null
  tasks: Map<string, Set<string>>
  columnIds: Set<string>
  board: boolean
}

export interface IndexCursor {
  base: Pick<ReplayBase, 'kind' | 'seq'>
  lastSeq: number
}

/** A stored board read (board-projection.ts): whole as of `seq`, or what row `seq` changed. */
export interface BoardRow {
  seq: number
  kind: 'full' | 'patch'
  body: string
}

/** What one batch of the derivation changed, written in one transaction. */
export interface IndexWrite {
  cursor: IndexCursor
  /** Versions merged into a later one (VERSION_MERGE_MS), by task, field and seq. */
  removed: { taskId: string; field: string; seq: number }[]
  added: StoredVersion[]
  /** New or extended steps (upserted by fromSeq). */
  steps: StoredStep[]
  /** Board reads and patches, in seq order. */
  board: BoardRow[]
}

/** Rows per INSERT (8 values a row, far below SQLite's variable limit). */
const INSERT_CHUNK = 500

export async function readCursor(db: Db, docName: string): Promise<IndexCursor | null> {
  const row = await db
    .selectFrom('history_index')
    .selectAll()
    .where('doc_name', '=', docName)
    .executeTakeFirst()
  if (!row) return null
  return { base: { kind: row.base_kind, seq: row.base_seq }, lastSeq: row.last_seq }
}

/** Drops a document's index (before a rebuild from a new base, or with the document). */
export async function clearIndex(db: Db, docName: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('history_versions').where('doc_name', '=', docName).execute()
    await tx.deleteFrom('history_steps').where('doc_name', '=', docName).execute()
    await tx.deleteFrom('history_index').where('doc_name', '=', docName).execute()
    await tx.deleteFrom('history_board').where('doc_name', '=', docName).execute()
    await tx.deleteFrom('history_board_packs').where('doc_name', '=', docName).execute()
    await deleteIndexPacks(tx, docName)
  })
}

/** Drops a document's index pieces and their task keys. */
export async function deleteIndexPacks(db: Db, docName: string): Promise<void> {
  await db
    .deleteFrom('history_index_pack_tasks')
    .where('doc_key', '=', idKey(docName))
    .where('pack_id', 'in', (eb) =>
      eb.selectFrom('history_index_packs').select('id').where('doc_name', '=', docName),
    )
    .execute()
  await db.deleteFrom('history_index_packs').where('doc_name', '=', docName).execute()
}

interface PackRow {
  kind: 'full' | 'patches'
  seq: number
  first_seq: number
  body: Buffer
}

/** Plain patch rows read per write to be packed (a backlog is packed over several writes). */
const PACK_BACKLOG_ROWS = 16

/**
 * What a batch's board rows become (board-packs.ts), compressed before the transaction
 * (on the thread pool): every whole board a pack; its patches plain rows, except that once
 * the plain patches after the newest piece (stored ones first) reach `packRows`, they are
 * packed `packRows` at a time and the stored ones among them deleted. One derivation per
 * document runs at a time (history-deriver.ts), so the plain rows read here stay as read.
 */
async function packBoardRows(
  db: Db,
  docName: string,
  rows: readonly BoardRow[],
  packRows: number,
): Promise<{ packs: PackRow[]; plain: BoardRow[]; packedSeqs: number[] }> {
  const packs: PackRow[] = []
  for (const r of rows) {
    if (r.kind !== 'full') continue
    packs.push({ kind: 'full', seq: r.seq, first_seq: r.seq, body: await packJson(r.body) })
  }
  const fresh = rows.filter((r) => r.kind === 'patch')
  if (fresh.length === 0) return { packs, plain: [], packedSeqs: [] }
  const newest = await db
    .selectFrom('history_board_packs')
    .select('seq')
    .where('doc_name', '=', docName)
    .where('kind', '=', 'patches')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  const stored = await db
    .selectFrom('history_board')
    .select(['seq', 'kind', 'body'])
    .where('doc_name', '=', docName)
    .where('kind', '=', 'patch')
    .where('seq', '>', newest?.seq ?? -1)
    .where('seq', '<', fresh[0]!.seq)
    .orderBy('seq')
    .limit(packRows * PACK_BACKLOG_ROWS)
    .execute()
  const all = [...(stored as BoardRow[]), ...fresh]
  const packedSeqs: number[] = []
  let i = 0
  for (; i + packRows <= all.length; i += packRows) {
    const piece = all.slice(i, i + packRows)
    const seqs = piece.map((r) => r.seq)
    packs.push({
      kind: 'patches',
      seq: seqs[seqs.length - 1]!,
      first_seq: seqs[0]!,
      body: await packJson(
        patchesJson(
          seqs,
          piece.map((r) => r.body),
        ),
      ),
    })
    for (const r of piece) if (r.seq < fresh[0]!.seq) packedSeqs.push(r.seq)
  }
  const plain = all.slice(i).filter((r) => r.seq >= fresh[0]!.seq)
  return { packs, plain, packedSeqs }
}

/**
 * Stores one batch of the derivation (and the cursor) in one transaction, then packs the
 * document's oldest plain versions and steps if enough have gathered (packIndexRows).
 */
export async function writeIndex(
  db: Db,
  docName: string,
  w: IndexWrite,
  packRows = DEFAULT_PACK_ROWS,
  packing: IndexPacking = DEFAULT_INDEX_PACKING,
): Promise<void> {
  const board = await packBoardRows(db, docName, w.board, packRows)
  // Steps from here on are plain rows; one at or before it is in a piece (only when fewer
  // than `packing.held` steps came after it: not with the default).
  const packedSteps = await newestPacked(db, docName, 'steps')
  await db.transaction().execute(async (tx) => {
    const inPieces: IndexWrite['removed'] = []
    for (const r of w.removed) {
      const { numDeletedRows } = await tx
        .deleteFrom('history_versions')
        .where('doc_name', '=', docName)
        .where('task_id', '=', r.taskId)
        .where('field', '=', r.field)
        .where('seq', '=', r.seq)
        .executeTakeFirst()
      if (Number(numDeletedRows) === 0) inPieces.push(r)
    }
    for (const r of inPieces) await removePackedVersion(tx, docName, r)
    for (const st of w.steps)
      if (st.fromSeq <= packedSteps) await replacePackedStep(tx, docName, st)
    const plainSteps = w.steps.filter((st) => st.fromSeq > packedSteps)
    for (let i = 0; i < w.added.length; i += INSERT_CHUNK) {
      await tx
        .insertInto('history_versions')
        .values(
          w.added.slice(i, i + INSERT_CHUNK).map((v) => ({
            doc_name: docName,
            task_id: v.taskId,
            seq: v.seq,
            at: v.at,
            user_id: v.userId,
            field: v.field,
            value: JSON.stringify(v.value ?? null),
            initial: v.initial ? 1 : 0,
          })),
        )
        .execute()
    }
    for (let i = 0; i < plainSteps.length; i += INSERT_CHUNK) {
      await tx
        .insertInto('history_steps')
        .values(
          plainSteps.slice(i, i + INSERT_CHUNK).map((s) => ({
            doc_name: docName,
            from_seq: s.fromSeq,
            to_seq: s.toSeq,
            started_at: s.startedAt,
            at: s.at,
            user_id: s.userId,
            tasks: JSON.stringify([...s.tasks].map(([id, fields]) => [id, [...fields]])),
            column_ids: JSON.stringify([...s.columnIds]),
            board: s.board ? 1 : 0,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['doc_name', 'from_seq']).doUpdateSet((eb) => ({
            to_seq: eb.ref('excluded.to_seq'),
            at: eb.ref('excluded.at'),
            tasks: eb.ref('excluded.tasks'),
            column_ids: eb.ref('excluded.column_ids'),
            board: eb.ref('excluded.board'),
          })),
        )
        .execute()
    }
    for (let i = 0; i < board.plain.length; i += INSERT_CHUNK) {
      await tx
        .insertInto('history_board')
        .values(board.plain.slice(i, i + INSERT_CHUNK).map((b) => ({ doc_name: docName, ...b })))
        // A batch derived again after a crash between its write and the next one's.
        .onConflict((oc) => oc.columns(['doc_name', 'kind', 'seq']).doNothing())
        .execute()
    }
    // One at a time: each is up to a compressed whole board.
    for (const p of board.packs) {
      await tx
        .insertInto('history_board_packs')
        .values({ doc_name: docName, ...p })
        .onConflict((oc) => oc.columns(['doc_name', 'kind', 'seq']).doNothing())
        .execute()
    }
    for (let i = 0; i < board.packedSeqs.length; i += INSERT_CHUNK) {
      await tx
        .deleteFrom('history_board')
        .where('doc_name', '=', docName)
        .where('kind', '=', 'patch')
        .where('seq', 'in', board.packedSeqs.slice(i, i + INSERT_CHUNK))
        .execute()
    }
    await tx
      .insertInto('history_index')
      .values({
        doc_name: docName,
        base_kind: w.cursor.base.kind,
        base_seq: w.cursor.base.seq,
        last_seq: w.cursor.lastSeq,
      })
      .onConflict((oc) =>
        oc.column('doc_name').doUpdateSet({
          base_kind: w.cursor.base.kind,
          base_seq: w.cursor.base.seq,
          last_seq: w.cursor.lastSeq,
        }),
      )
      .execute()
  })
  await packIndexRows(db, docName, packing)
}

/** The largest seq (a step's from_seq) in the document's pieces of `kind` (-1: none). */
async function newestPacked(db: Db, docName: string, kind: 'versions' | 'steps'): Promise<number> {
  const row = await db
    .selectFrom('history_index_packs')
    .select('last_seq')
    .where('doc_name', '=', docName)
    .where('kind', '=', kind)
    .orderBy('last_seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? Number(row.last_seq) : -1
}

/** A version merged into a later one after it was packed: its piece is written again. */
async function removePackedVersion(
  tx: Db,
  docName: string,
  r: IndexWrite['removed'][number],
): Promise<void> {
  const pieces = await tx
    .selectFrom('history_index_packs')
    .select(['id', 'body'])
    .where('doc_name', '=', docName)
    .where('kind', '=', 'versions')
    .where('first_seq', '<=', r.seq)
    .where('last_seq', '>=', r.seq)
    .orderBy('id')
    .execute()
  for (const p of pieces) {
    const versions = await unpackVersions(p.body)
    const kept = versions.filter(
      (v) => !(v.taskId === r.taskId && v.field === r.field && v.seq === r.seq),
    )
    if (kept.length === versions.length) continue
    await tx
      .updateTable('history_index_packs')
      .set({ body: await packVersions(kept) })
      .where('id', '=', p.id)
      .execute()
    return
  }
}

/** A step extended after it was packed: its piece is written again. */
async function replacePackedStep(tx: Db, docName: string, st: StoredStep): Promise<void> {
  const piece = await tx
    .selectFrom('history_index_packs')
    .select(['id', 'body', 'max_at'])
    .where('doc_name', '=', docName)
    .where('kind', '=', 'steps')
    .where('first_seq', '<=', st.fromSeq)
    .where('last_seq', '>=', st.fromSeq)
    .executeTakeFirst()
  if (!piece) return
  const steps = (await unpackSteps(piece.body)).map((s) => (s.fromSeq === st.fromSeq ? st : s))
  await tx
    .updateTable('history_index_packs')
    .set({ body: await packSteps(steps), max_at: Math.max(Number(piece.max_at), st.at) })
    .where('id', '=', piece.id)
    .execute()
}

/** Pieces made per write at most (a backlog of plain rows is packed over several writes). */
const PACK_BACKLOG_PIECES = 8

/**
 * Packs the document's oldest plain versions and steps once more than a piece's worth
 * gathered beyond the `held` newest: compressed before the transaction (on the thread
 * pool), then the pieces, their task keys and the deletion of the rows they hold in one
 * transaction (a crash leaves the rows plain, packed by a later write). One derivation per
 * document runs at a time (history-deriver.ts), so the rows read here stay as read.
 */
export async function packIndexRows(
  db: Db,
  docName: string,
  packing: IndexPacking = DEFAULT_INDEX_PACKING,
): Promise<void> {
  const take = (n: number, per: number) =>
    Math.min(Math.floor(Math.max(0, n - packing.held) / per), PACK_BACKLOG_PIECES) * per
  const [vCount, sCount] = await Promise.all([
    db
      .selectFrom('history_versions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('doc_name', '=', docName)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('history_steps')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('doc_name', '=', docName)
      .executeTakeFirstOrThrow(),
  ])
  const vTake = take(Number(vCount.n), packing.versions)
  const sTake = take(Number(sCount.n), packing.steps)
  if (vTake === 0 && sTake === 0) return
  const vRows =
    vTake === 0
      ? []
      : await db
          .selectFrom('history_versions')
          .select(['id', 'task_id', 'seq', 'at', 'user_id', 'field', 'value', 'initial'])
          .where('doc_name', '=', docName)
          .orderBy('id')
          .limit(vTake)
          .execute()
  const sRows =
    sTake === 0
      ? []
      : await db
          .selectFrom('history_steps')
          .selectAll()
          .where('doc_name', '=', docName)
          .orderBy('from_seq')
          .limit(sTake)
          .execute()
  const pieces: {
    kind: 'versions' | 'steps'
    first_seq: number
    last_seq: number
    min_at: number
    max_at: number
    body: Buffer
    taskIds: Set<string>
  }[] = []
  for (let i = 0; i < vRows.length; i += packing.versions) {
    const versions = vRows.slice(i, i + packing.versions).map(toVersion)
    pieces.push({
      kind: 'versions',
      first_seq: Math.min(...versions.map((v) => v.seq)),
      last_seq: Math.max(...versions.map((v) => v.seq)),
      min_at: Math.min(...versions.map((v) => v.at)),
      max_at: Math.max(...versions.map((v) => v.at)),
      body: await packVersions(versions),
      taskIds: new Set(versions.map((v) => v.taskId)),
    })
  }
  for (let i = 0; i < sRows.length; i += packing.steps) {
    const steps = sRows.slice(i, i + packing.steps).map(toStep)
    pieces.push({
      kind: 'steps',
      first_seq: steps[0]!.fromSeq,
      last_seq: steps[steps.length - 1]!.fromSeq,
      min_at: Math.min(...steps.map((st) => st.startedAt)),
      max_at: Math.max(...steps.map((st) => st.at)),
      body: await packSteps(steps),
      taskIds: new Set(),
    })
  }
  const docKey = idKey(docName)
  await db.transaction().execute(async (tx) => {
    for (const { taskIds, ...piece } of pieces) {
      const { id } = await tx
        .insertInto('history_index_packs')
        .values({ doc_name: docName, ...piece })
        .returning('id')
        .executeTakeFirstOrThrow()
      const keys = [...new Set([...taskIds].map(idKey))]
      for (let i = 0; i < keys.length; i += INSERT_CHUNK) {
        await tx
          .insertInto('history_index_pack_tasks')
          .values(
            keys
              .slice(i, i + INSERT_CHUNK)
              .map((k) => ({ doc_key: docKey, task_key: k, pack_id: Number(id) })),
          )
          .onConflict((oc) => oc.doNothing())
          .execute()
      }
    }
    if (vRows.length > 0) {
      await tx
        .deleteFrom('history_versions')
        .where('doc_name', '=', docName)
        .where('id', '<=', vRows[vRows.length - 1]!.id)
        .execute()
    }
    if (sRows.length > 0) {
      await tx
        .deleteFrom('history_steps')
        .where('doc_name', '=', docName)
        .where('from_seq', '<=', sRows[sRows.length - 1]!.from_seq)
        .execute()
    }
  })
}

function toVersion(r: {
  task_id: string
  seq: number
  at: number
  user_id: string | null
  field: string
  value: string
  initial: number
}): StoredVersion {
  return {
    taskId: r.task_id,
    seq: r.seq,
    at: r.at,
    userId: r.user_id,
    field: r.field as TaskHistoryField,
    value: JSON.parse(r.value),
    initial: r.initial === 1,
  }
}

/** A version's identity: one per task, field and log row. */
const versionKey = (v: StoredVersion) => `${v.taskId}\u0000${v.field}\u0000${v.seq}`

/** A task's versions, oldest first. */
export async function versionsOf(
  db: Db,
  docName: string,
  taskId: string,
): Promise<StoredVersion[]> {
  // Plain rows first: rows packed between the two reads are then in both (counted once),
  // never in neither.
  const rows = await db
    .selectFrom('history_versions')
    .select(['task_id', 'seq', 'at', 'user_id', 'field', 'value', 'initial'])
    .where('doc_name', '=', docName)
    .where('task_id', '=', taskId)
    .orderBy('id')
    .execute()
  const pieces = await db
    .selectFrom('history_index_pack_tasks as t')
    .innerJoin('history_index_packs as p', 'p.id', 't.pack_id')
    .select('p.body')
    .where('t.doc_key', '=', idKey(docName))
    .where('t.task_key', '=', idKey(taskId))
    .where('p.doc_name', '=', docName)
    .where('p.kind', '=', 'versions')
    .orderBy('p.id')
    .execute()
  const packed = (await Promise.all(pieces.map((p) => unpackVersions(p.body))))
    .flat()
    .filter((v) => v.taskId === taskId)
  const seen = new Set(packed.map(versionKey))
  return [...packed, ...rows.map(toVersion).filter((v) => !seen.has(versionKey(v)))]
}

/** The newest version of every task and field (resuming the derivation). */
export async function latestVersions(db: Db, docName: string): Promise<StoredVersion[]> {
  const rows = await db
    .selectFrom('history_versions')
    .select(['task_id', 'seq', 'at', 'user_id', 'field', 'value', 'initial'])
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('history_versions')
        .select((e) => e.fn.max('id').as('id'))
        .where('doc_name', '=', docName)
        .groupBy(['task_id', 'field']),
    )
    .execute()
  // The pieces hold older versions than any plain row: the plain ones override them.
  const latest = new Map<string, StoredVersion>()
  const pieces = await db
    .selectFrom('history_index_packs')
    .select('id')
    .where('doc_name', '=', docName)
    .where('kind', '=', 'versions')
    .orderBy('id')
    .execute()
  for (const { id } of pieces) {
    const { body } = await db
      .selectFrom('history_index_packs')
      .select('body')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    for (const v of await unpackVersions(body)) latest.set(`${v.taskId}\u0000${v.field}`, v)
  }
  for (const v of rows.map(toVersion)) latest.set(`${v.taskId}\u0000${v.field}`, v)
  return [...latest.values()]
}

function toStep(r: {
  from_seq: number
  to_seq: number
  started_at: number
  at: number
  user_id: string | null
  tasks: string
  column_ids: string
  board: number
}): StoredStep {
  const tasks = JSON.parse(r.tasks) as [string, string[]][]
  return {
    fromSeq: r.from_seq,
    toSeq: r.to_seq,
    startedAt: r.started_at,
    at: r.at,
    userId: r.user_id,
    tasks: new Map(tasks.map(([id, fields]) => [id, new Set(fields)])),
    columnIds: new Set(JSON.parse(r.column_ids) as string[]),
    board: r.board === 1,
  }
}

/** The newest step (resuming the derivation: the next row may extend it). */
export async function lastStep(db: Db, docName: string): Promise<StoredStep | null> {
  const row = await db
    .selectFrom('history_steps')
    .selectAll()
    .where('doc_name', '=', docName)
    .orderBy('from_seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (row) return toStep(row)
  const piece = await db
    .selectFrom('history_index_packs')
    .select('body')
    .where('doc_name', '=', docName)
    .where('kind', '=', 'steps')
    .orderBy('last_seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  return piece ? ((await unpackSteps(piece.body)).at(-1) ?? null) : null
}

/** Steps after `afterSeq` that end at or after `from` and start at or before `to`, oldest first. */
export async function stepsPage(
  db: Db,
  docName: string,
  q: { afterSeq: number; from: number; to: number; limit: number },
): Promise<StoredStep[]> {
  const rows = await db
    .selectFrom('history_steps')
    .selectAll()
    .where('doc_name', '=', docName)
    .where('from_seq', '>', q.afterSeq)
    .where('at', '>=', q.from)
    .where('started_at', '<=', q.to)
    .orderBy('from_seq')
    .limit(q.limit)
    .execute()
  // Pieces whose steps may be in the range, oldest first, inflated until the page is full
  // (every piece's steps come before every plain row's).
  const pieces = await db
    .selectFrom('history_index_packs')
    .select('id')
    .where('doc_name', '=', docName)
    .where('kind', '=', 'steps')
    .where('last_seq', '>', q.afterSeq)
    .where('max_at', '>=', q.from)
    .where('min_at', '<=', q.to)
    .orderBy('first_seq')
    .execute()
  const found: StoredStep[] = []
  for (const { id } of pieces) {
    if (found.length >= q.limit) break
    const { body } = await db
      .selectFrom('history_index_packs')
      .select('body')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    for (const st of await unpackSteps(body)) {
      if (st.fromSeq > q.afterSeq && st.at >= q.from && st.startedAt <= q.to) found.push(st)
    }
  }
  // Plain rows were read first: a step packed meanwhile is in both, counted once.
  const seen = new Set(found.map((st) => st.fromSeq))
  for (const r of rows) if (!seen.has(r.from_seq)) found.push(toStep(r))
  return found.sort((a, b) => a.fromSeq - b.fromSeq).slice(0, q.limit)
}

/**
 * The stored board read as of `seq`: the newest whole board at or before it and the patches
 * of the rows after that one up to `seq`, in seq order (null: no whole board stored at or
 * before `seq`). Reads compressed pieces (history_board_packs) and plain rows (history_board:
 * rows from before the pieces, and the newest patches not packed yet) alike.
 */
export async function boardRowsAt(
  db: Db,
  docName: string,
  seq: number,
): Promise<{ board: ProjectedBoard; patches: BoardPatch[] } | null> {
  const [plainFull, packedFull] = await Promise.all([
    db
      .selectFrom('history_board')
      .select(['seq', 'body'])
      .where('doc_name', '=', docName)
      .where('kind', '=', 'full')
      .where('seq', '<=', seq)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('history_board_packs')
      .select(['seq', 'body'])
      .where('doc_name', '=', docName)
      .where('kind', '=', 'full')
      .where('seq', '<=', seq)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ])
  if (!plainFull && !packedFull) return null
  const fullSeq = Math.max(plainFull?.seq ?? -1, packedFull?.seq ?? -1)
  const [plain, pieces] = await Promise.all([
    db
      .selectFrom('history_board')
      .select(['seq', 'body'])
      .where('doc_name', '=', docName)
      .where('kind', '=', 'patch')
      .where('seq', '>', fullSeq)
      .where('seq', '<=', seq)
      .orderBy('seq')
      .execute(),
    db
      .selectFrom('history_board_packs')
      .select('body')
      .where('doc_name', '=', docName)
      .where('kind', '=', 'patches')
      .where('seq', '>', fullSeq)
      .where('first_seq', '<=', seq)
      .orderBy('seq')
      .execute(),
  ])
  const [fullJson, ...piecesJson] = await Promise.all([
    packedFull && packedFull.seq === fullSeq ? unpackJson(packedFull.body) : plainFull!.body,
    ...pieces.map((p) => unpackJson(p.body)),
  ])
  const board = JSON.parse(fullJson!) as ProjectedBoard
  // By seq: a row stored both ways (a batch derived again) counts once.
  const bySeq = new Map<number, BoardPatch>()
  for (const json of piecesJson) {
    const piece = JSON.parse(json) as { seqs: number[]; patches: BoardPatch[] }
    piece.seqs.forEach((s, i) => {
      if (s > fullSeq && s <= seq) bySeq.set(s, piece.patches[i]!)
    })
  }
  // One parse for all the plain patches (thousands of small ones in rows from before pieces).
  const plainPatches = JSON.parse(`[${plain.map((p) => p.body).join(',')}]`) as BoardPatch[]
  plain.forEach((p, i) => {
    bySeq.set(p.seq, plainPatches[i]!)
  })
  const patches = [...bySeq.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p)
  return { board, patches }
}

/** Whether the document's derivation stored board reads (it did unless from before them). */
export async function hasBoardRows(db: Db, docName: string): Promise<boolean> {
  const [plain, packed] = await Promise.all([
    db
      .selectFrom('history_board')
      .select('seq')
      .where('doc_name', '=', docName)
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom('history_board_packs')
      .select('seq')
      .where('doc_name', '=', docName)
      .limit(1)
      .executeTakeFirst(),
  ])
  return plain !== undefined || packed !== undefined
}
