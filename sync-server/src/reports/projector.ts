import {
  allTaskSearchTexts,
  buildTaskTree,
  type ColumnRow,
  compareOrdered,
  type FieldRow,
  listRelations,
  projectBoard,
  projectFields,
  projectTasks,
  RELATIONS_ROOT,
  type TaskRow,
  type TaskSearchText,
  type TaskTree,
  taskSearchTexts,
  updateTaskTree,
} from '@taskflow/board'
import type { Transaction } from 'kysely'
import * as Y from 'yjs'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import type { Database } from '../db/schema.js'
import { setCursor } from '../derivation/cursors.repository.js'
import { replaceSearchDocs, writeSearchDocs } from '../search/search.repository.js'
import type { UpdateOrigin } from '../sync/room.js'
import { isUpdateOrigin, topOf } from '../sync/transaction-origin.js'
import {
  clearProjection,
  deleteTasks,
  insertStatusChanges,
  type ProjectedTask,
  replaceColumns,
  replaceFields,
  type StatusChange,
  upsertTasks,
} from './projection.repository.js'
import { replaceRelations } from './relations.repository.js'

interface Placed {
  columnId: string
  category: string
  deleted: boolean
}

/** What one open document has changed since the projection was last written. */
export class DocTracker {
  readonly known = new Map<string, Placed>()
  readonly dirty = new Set<string>()
  structural = false
  /** Custom-field definitions changed: rewrite them (task rows hold raw values, F9). */
  fieldsDirty = false
  /** Every row needs re-reading at the next write (column renamed, label changed). */
  allRowsDirty = false
  /**
   * Tasks whose searchable text may have changed: only edits inside a task (and label
   * renames, below) change it, not column changes, so a renamed column does not rewrite
   * the full-text index.
   */
  readonly searchDirty = new Set<string>()
  allSearchDirty = false
  /** The relations need re-projecting (a relation changed, or a task left the document). */
  relationsDirty = false
  changes: StatusChange[] = []
  #columnSig: string
  lastSeq = 0
  /**
   * The board's hierarchy, kept current here: a task's projected parent can change by an
   * edit of another task (its parent trashed or restored, a cycle closed: H3, H5).
   */
  readonly tree: TaskTree

  constructor(
    readonly doc: Y.Doc,
    readonly now: Clock,
  ) {
    // Define the root types first: a root that an update creates before anyone asked for
    // it is a placeholder that getMap() later replaces, so identity checks would miss it.
    rootsOf(doc)
    doc.getMap('meta')
    this.#columnSig = columnSignature(doc)
    this.tree = buildTaskTree(doc)
    doc.on('afterTransaction', this.#onTransaction)
  }

  detach(): void {
    this.doc.off('afterTransaction', this.#onTransaction)
  }

  markAllDirty(): void {
    this.structural = true
    this.fieldsDirty = true
    this.allRowsDirty = true
    this.allSearchDirty = true
    this.relationsDirty = true
  }

  /** Sets `known` from the document without recording changes (a baseline). */
  baseline(rows: readonly TaskRow[]): void {
    for (const r of rows) this.known.set(r.taskId, placedOf(r))
  }

  /** Records the status changes between `known` and the document's rows, as `origin`. */
  diff(rows: readonly TaskRow[], missing: readonly string[], origin: UpdateOrigin): void {
    for (const r of rows) {
      const prev = this.known.get(r.taskId)
      const next = placedOf(r)
      this.known.set(r.taskId, next)
      this.dirty.add(r.taskId)
      if (next.deleted) continue
      if (prev && prev.columnId === next.columnId && prev.category === next.category) continue
      this.changes.push({
        taskId: r.taskId,
        fromColumnId: prev?.columnId ?? null,
        fromCategory: prev?.category ?? null,
        toColumnId: next.columnId,
        toCategory: next.category,
        at: origin.at,
        userId: origin.userId,
        seq: origin.seq,
      })
    }
    for (const id of missing) {
      this.known.delete(id)
      this.dirty.add(id)
      this.relationsDirty = true
    }
    if (origin.seq > this.lastSeq) this.lastSeq = origin.seq
  }

  // Runs inside the room's applyUpdate, so it only reads the few tasks the update touched.
  #onTransaction = (tr: Y.Transaction): void => {
    if (tr.changed.size === 0) return
    const { tasks, columns, labels, fields, relations } = rootsOf(this.doc)
    const affected = new Set<string>()
    let structural = false
    let allRows = false
    for (const [changedType, keys] of tr.changed) {
      const type = changedType as Y.AbstractType<unknown>
      if (type === (tasks as Y.AbstractType<unknown>)) {
        for (const k of keys) if (k !== null) affected.add(k)
        continue
      }
      const top = topOf(type)
      if (top.root === relations) this.relationsDirty = true
      else if (top.root === columns) structural = true
      else if (top.root === labels) allRows = true
      else if (top.root === fields) this.fieldsDirty = true
      else if (top.root === tasks && top.key) affected.add(top.key)
    }
    for (const id of affected) this.searchDirty.add(id)
    if (allRows) this.allSearchDirty = true
    if (structural) {
      this.structural = true
      // Only a change of which columns exist, their order or their categories can move
      // tasks between columns or categories. Renames, WIP limits and labels only change row
      // text: those rows are re-read at write time, off the relay path.
      const sig = columnSignature(this.doc)
      if (sig !== this.#columnSig) {
        this.#columnSig = sig
        for (const id of tasks.keys()) affected.add(id)
      } else this.allRowsDirty = true
    }
    if (allRows) this.allRowsDirty = true
    if (affected.size === 0) return
    for (const id of updateTaskTree(this.doc, this.tree, affected)) affected.add(id)
    const origin = isUpdateOrigin(tr.origin)
      ? tr.origin
      : { seq: this.lastSeq, userId: null, at: this.now() }
    const { rows, missing } = projectTasks(this.doc, affected, this.tree)
    this.diff(rows, missing, origin)
  }
}

/** Columns in board order with their categories: what decides where a task shows. */
function columnSignature(doc: Y.Doc): string {
  const cols: { id: string; order: string; category: unknown }[] = []
  doc.getMap<Y.Map<unknown>>('columns').forEach((col, id) => {
    const order = col instanceof Y.Map ? col.get('order') : undefined
    cols.push({
      id,
      order: typeof order === 'string' ? order : '',
      category: col.get?.('category'),
    })
  })
  return cols
    .sort(compareOrdered)
    .map((c) => `${c.id}:${String(c.category)}`)
    .join(',')
}

function placedOf(r: TaskRow): Placed {
  return { columnId: r.columnId, category: r.category, deleted: r.deletedAt !== null }
}

function rootsOf(doc: Y.Doc) {
  return {
    tasks: doc.getMap('tasks'),
    columns: doc.getMap('columns'),
    labels: doc.getMap('labels'),
    fields: doc.getMap('fields'),
    relations: doc.getMap(RELATIONS_ROOT),
  }
}

/** The projection's name among the derivation consumers (its cursor's key). */
export const PROJECTION_CONSUMER = 'projection'

export interface StoredLog {
  snapshot: Uint8Array | null
  snapshotSeq: number
  rows: Array<{ seq: number; update: Uint8Array; userId: string | null; createdAt: number }>
}

/**
 * What `tracker` has seen change since the last call, read from its document now: task rows
 * of dirty tasks, columns and fields when the structure changed, status changes, search
 * text, relations. `upto`: the last log seq the document holds. Null when nothing changed.
 */
export function collectProjection(tracker: DocTracker, upto: number): ProjectionWork | null {
  const ready = tracker.changes
  if (
    ready.length === 0 &&
    tracker.dirty.size === 0 &&
    tracker.searchDirty.size === 0 &&
    !tracker.structural &&
    !tracker.fieldsDirty &&
    !tracker.allRowsDirty &&
    !tracker.allSearchDirty &&
    !tracker.relationsDirty
  ) {
    return null
  }
  tracker.changes = []
  if (tracker.allRowsDirty) {
    for (const id of tracker.doc.getMap('tasks').keys()) tracker.dirty.add(id)
    tracker.allRowsDirty = false
  }
  if (tracker.allSearchDirty) {
    for (const id of tracker.doc.getMap('tasks').keys()) tracker.searchDirty.add(id)
    tracker.allSearchDirty = false
  }
  const { rows, missing } = projectTasks(tracker.doc, tracker.dirty, tracker.tree)
  const search = taskSearchTexts(tracker.doc, tracker.searchDirty)
  const columns = tracker.structural ? projectBoard(tracker.doc).columns : null
  const fields = tracker.structural || tracker.fieldsDirty ? projectFields(tracker.doc) : null
  tracker.fieldsDirty = false
  const relations = tracker.relationsDirty ? listRelations(tracker.doc) : null
  tracker.relationsDirty = false
  tracker.dirty.clear()
  tracker.searchDirty.clear()
  tracker.structural = false
  return {
    rows,
    missing: [...new Set([...missing, ...search.missing])],
    columns,
    fields,
    changes: ready,
    seq: upto,
    search: search.rows,
    relations,
  }
}

export interface ProjectionWork {
  rows: TaskRow[]
  missing: string[]
  columns: ColumnRow[] | null
  /** Custom-field definitions to write, when they (or the structure) changed. */
  fields: FieldRow[] | null
  changes: StatusChange[]
  seq: number
  /** Searchable text of the tasks whose text may have changed (trashed ones included). */
  search: TaskSearchText[]
  /** Every relation of the board, when any changed (null: unchanged). */
  relations: ReturnType<typeof listRelations> | null
}

/**
 * Writes `work`'s state inside the engine's transaction: rows are states (rewriting them is
 * idempotent). Its status changes are events, which the engine writes as the consumer's
 * parts, only for updates its cursor has not passed.
 */
export async function writeProjectionWork(
  trx: Transaction<Database>,
  projectId: string,
  work: ProjectionWork,
): Promise<void> {
  if (work.columns) await replaceColumns(trx, projectId, work.columns)
  if (work.fields) await replaceFields(trx, projectId, work.fields)
  await upsertTasks(trx, projectId, work.rows)
  await deleteTasks(trx, projectId, work.missing)
  await writeSearchDocs(trx, projectId, work.search, work.missing)
  if (work.relations) await replaceRelations(trx, projectId, work.relations)
}

/**
 * Replays the stored log after `projectedSeq` into a scratch document, starting from the
 * projected state `known`, and returns the status changes with each update's sender and
 * time. Updates at or before the snapshot were merged by compaction and cannot be
 * replayed one by one: if the projection is older than the snapshot, the difference is
 * recorded as one change per task at the snapshot's sequence, with no user.
 */
export function replayLog(
  stored: StoredLog,
  projectedSeq: number,
  known: readonly ProjectedTask[] | 'baseline',
  now: Clock,
): { doc: Y.Doc; known: Map<string, Placed>; changes: StatusChange[] } {
  const doc = new Y.Doc()
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
  for (const r of stored.rows) if (r.seq <= projectedSeq) Y.applyUpdate(doc, r.update)
  const tracker = new DocTracker(doc, now)
  const start = Math.max(projectedSeq, stored.snapshotSeq)
  if (known === 'baseline') tracker.baseline(projectBoard(doc).tasks)
  else {
    for (const k of known) tracker.known.set(k.taskId, k)
    if (projectedSeq < stored.snapshotSeq) {
      const all = projectBoard(doc).tasks
      const ids = new Set(all.map((t) => t.taskId))
      tracker.diff(
        all,
        known.filter((k) => !ids.has(k.taskId)).map((k) => k.taskId),
        { seq: stored.snapshotSeq, userId: null, at: now() },
      )
    }
  }
  for (const r of stored.rows) {
    if (r.seq > start)
      Y.applyUpdate(doc, r.update, { seq: r.seq, userId: r.userId, at: r.createdAt })
  }
  tracker.detach()
  return { doc, known: tracker.known, changes: tracker.changes }
}

/**
 * Rebuilds a project's projection from its stored document and update log: task rows from
 * the final state, status changes by replaying every logged update with its sender and
 * time. Changes older than the latest snapshot cannot be replayed (compaction merged
 * those updates); they are kept as they were.
 */
export async function rebuildProjection(
  db: Db,
  projectId: string,
  stored: StoredLog,
  now: Clock,
): Promise<void> {
  const { doc, changes } = replayLog(stored, stored.snapshotSeq, 'baseline', now)
  const all = projectBoard(doc)
  const lastSeq = stored.rows.at(-1)?.seq ?? stored.snapshotSeq
  await db.transaction().execute(async (trx) => {
    await clearProjection(trx, projectId, stored.snapshotSeq)
    await replaceColumns(trx, projectId, all.columns)
    await replaceFields(trx, projectId, all.fields)
    await upsertTasks(trx, projectId, all.tasks)
    await replaceSearchDocs(trx, projectId, allTaskSearchTexts(doc))
    await replaceRelations(trx, projectId, listRelations(doc))
    await insertStatusChanges(trx, projectId, changes)
    await setCursor(trx, PROJECTION_CONSUMER, projectId, lastSeq)
  })
  doc.destroy()
}
