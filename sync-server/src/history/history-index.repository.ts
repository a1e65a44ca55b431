import type { TaskHistoryField } from '@taskflow/api'
import type { Db } from '../db/database.js'
import { DEFAULT_PACK_ROWS, packJson, patchesJson, unpackJson } from './board-packs.js'
import type { BoardPatch, ProjectedBoard } from './board-projection.js'
import type { ReplayBase } from './history.repository.js'

/*
 * The stored history index (issue 18 perf): field versions and change steps derived from
 * the update log (history-index.ts), and how far the derivation got. A read is an indexed
 * query; the derivation only ever applies the log rows after `last_seq`.
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
  })
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

export async function writeIndex(
  db: Db,
  docName: string,
  w: IndexWrite,
  packRows = DEFAULT_PACK_ROWS,
): Promise<void> {
  const board = await packBoardRows(db, docName, w.board, packRows)
  await db.transaction().execute(async (tx) => {
    for (const r of w.removed) {
      await tx
        .deleteFrom('history_versions')
        .where('doc_name', '=', docName)
        .where('task_id', '=', r.taskId)
        .where('field', '=', r.field)
        .where('seq', '=', r.seq)
        .execute()
    }
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
    for (let i = 0; i < w.steps.length; i += INSERT_CHUNK) {
      await tx
        .insertInto('history_steps')
        .values(
          w.steps.slice(i, i + INSERT_CHUNK).map((s) => ({
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

/** A task's versions, oldest first. */
export async function versionsOf(
  db: Db,
  docName: string,
  taskId: string,
): Promise<StoredVersion[]> {
  const rows = await db
    .selectFrom('history_versions')
    .select(['task_id', 'seq', 'at', 'user_id', 'field', 'value', 'initial'])
    .where('doc_name', '=', docName)
    .where('task_id', '=', taskId)
    .orderBy('id')
    .execute()
  return rows.map(toVersion)
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
  return rows.map(toVersion)
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
  return row ? toStep(row) : null
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
  return rows.map(toStep)
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
