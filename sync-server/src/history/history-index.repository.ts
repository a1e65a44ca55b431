import type { TaskHistoryField } from '@taskflow/api'
import type { Db } from '../db/database.js'
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
  })
}

export async function writeIndex(db: Db, docName: string, w: IndexWrite): Promise<void> {
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
    for (let i = 0; i < w.board.length; i += INSERT_CHUNK) {
      await tx
        .insertInto('history_board')
        .values(w.board.slice(i, i + INSERT_CHUNK).map((b) => ({ doc_name: docName, ...b })))
        // A batch derived again after a crash between its write and the next one's.
        .onConflict((oc) => oc.columns(['doc_name', 'kind', 'seq']).doNothing())
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
 * of the rows after that one up to `seq`, in order (null: no whole board stored at or
 * before `seq`).
 */
export async function boardRowsAt(
  db: Db,
  docName: string,
  seq: number,
): Promise<{ full: string; patches: string[] } | null> {
  const full = await db
    .selectFrom('history_board')
    .select(['seq', 'body'])
    .where('doc_name', '=', docName)
    .where('kind', '=', 'full')
    .where('seq', '<=', seq)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (!full) return null
  const patches = await db
    .selectFrom('history_board')
    .select('body')
    .where('doc_name', '=', docName)
    .where('kind', '=', 'patch')
    .where('seq', '>', full.seq)
    .where('seq', '<=', seq)
    .orderBy('seq')
    .execute()
  return { full: full.body, patches: patches.map((p) => p.body) }
}

/** Whether the document's derivation stored board reads (it did unless from before them). */
export async function hasBoardRows(db: Db, docName: string): Promise<boolean> {
  const row = await db
    .selectFrom('history_board')
    .select('seq')
    .where('doc_name', '=', docName)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}
