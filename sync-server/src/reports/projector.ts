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
import * as Y from 'yjs'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import type { Logger } from '../logger.js'
import { replaceSearchDocs, writeSearchDocs } from '../search/search.repository.js'
import type { RoomObserver, UpdateOrigin } from '../sync/room.js'
import { isUpdateOrigin, topOf } from '../sync/transaction-origin.js'
import {
  clearProjection,
  deleteTasks,
  insertStatusChanges,
  type ProjectedTask,
  projectExists,
  replaceColumns,
  replaceFields,
  type StatusChange,
  setProjectedSeq,
  upsertTasks,
} from './projection.repository.js'
import { replaceRelations } from './relations.repository.js'

interface Placed {
  columnId: string
  category: string
  deleted: boolean
}

/** What one open document has changed since the projection was last written. */
class DocTracker {
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

export interface StoredLog {
  snapshot: Uint8Array | null
  snapshotSeq: number
  rows: Array<{ seq: number; update: Uint8Array; userId: string | null; createdAt: number }>
}

/** Synchronous reads the projector needs while a room is loading (better-sqlite3). */
export interface ProjectionReads {
  projectExists(projectId: string): boolean
  projectedSeq(projectId: string): number | null
  projectedTasks(projectId: string): ProjectedTask[]
  storedLog(projectId: string): StoredLog
}

export interface ProjectorOptions {
  db: Db
  reads: ProjectionReads
  logger: Logger
  /** Write the projection this long after the last edit (default 500 ms). */
  debounceMs?: number
  /** The server's clock: the time of changes no logged update explains. */
  now: Clock
}

/**
 * Projects board documents into the report tables (ARCHITECTURE rule 4). It observes each
 * room (RoomObserver): tracking starts when the room builds its Y.Doc, writes are
 * debounced after commits and never run on the relay path; only a few reads per update
 * happen inside the room's applyUpdate.
 */
export class Projector implements RoomObserver {
  readonly #trackers = new Map<string, DocTracker>()
  readonly #committedSeq = new Map<string, number>()
  readonly #timers = new Map<string, NodeJS.Timeout>()
  readonly #chains = new Map<string, Promise<void>>()
  /** What a dropped room's tracker knew, for when the room builds its doc again. */
  readonly #carry = new Map<string, Map<string, Placed>>()
  readonly #db: Db
  readonly #reads: ProjectionReads
  readonly #logger: Logger
  readonly #debounceMs: number
  readonly #now: Clock

  constructor(opts: ProjectorOptions) {
    this.#now = opts.now
    this.#db = opts.db
    this.#reads = opts.reads
    this.#logger = opts.logger
    this.#debounceMs = opts.debounceMs ?? 500
  }

  /**
   * Starts tracking a room's document, right after the room built it from storage and
   * before any client update is applied. If the stored log holds updates the projection
   * has not seen (a crash before the debounced write), they are replayed first, with their
   * senders and times. Never throws.
   */
  docBuilt(projectId: string, doc: Y.Doc): void {
    try {
      const reads = this.#reads
      if (!reads.projectExists(projectId)) return
      this.#trackers.get(projectId)?.detach()
      const tracker = new DocTracker(doc, this.#now)
      this.#trackers.set(projectId, tracker)
      const carried = this.#carry.get(projectId)
      this.#carry.delete(projectId)
      if (carried) {
        // The room reloaded while this process tracked it: continue from what we knew.
        for (const [id, placed] of carried) tracker.known.set(id, placed)
        const all = projectBoard(doc).tasks
        tracker.diff(all, [], {
          seq: this.#committedSeq.get(projectId) ?? 0,
          userId: null,
          at: this.#now(),
        })
        tracker.structural = true
        tracker.allSearchDirty = true
        tracker.relationsDirty = true
        this.#schedule(projectId)
        return
      }
      const projected = reads.projectedSeq(projectId)
      const stored = reads.storedLog(projectId)
      const lastSeq = stored.rows.at(-1)?.seq ?? stored.snapshotSeq
      const known = reads.projectedTasks(projectId)
      this.#committedSeq.set(projectId, lastSeq)
      if (projected !== null && projected >= lastSeq) {
        for (const k of known) tracker.known.set(k.taskId, k)
        tracker.lastSeq = projected
        return
      }
      const replay = replayLog(stored, projected ?? 0, known, this.#now)
      replay.doc.destroy()
      for (const [id, placed] of replay.known) tracker.known.set(id, placed)
      for (const id of replay.known.keys()) tracker.dirty.add(id)
      for (const k of known) if (!replay.known.has(k.taskId)) tracker.dirty.add(k.taskId)
      tracker.changes = replay.changes
      tracker.structural = true
      tracker.relationsDirty = true
      for (const id of tracker.dirty) tracker.searchDirty.add(id)
      tracker.lastSeq = lastSeq
      this.#schedule(projectId)
    } catch (err) {
      this.#logger.error('projection attach failed', { doc: projectId, err: String(err) })
    }
  }

  /**
   * Projects a document no room holds from storage up to its last stored update (start-up
   * after a crash, a new project's board). Reads and replays synchronously and leaves what
   * it projected as the carried state, so a room built before the write lands continues
   * from there instead of replaying (and recording) the same changes again. Never throws.
   */
  catchUp(projectId: string): void {
    try {
      if (this.#trackers.has(projectId) || this.#carry.has(projectId)) return
      const reads = this.#reads
      if (!reads.projectExists(projectId)) return
      const projected = reads.projectedSeq(projectId)
      const stored = reads.storedLog(projectId)
      const lastSeq = stored.rows.at(-1)?.seq ?? stored.snapshotSeq
      if (projected !== null && projected >= lastSeq) return
      const known = reads.projectedTasks(projectId)
      const replay = replayLog(stored, projected ?? 0, known, this.#now)
      const ids = new Set(replay.known.keys())
      for (const k of known) ids.add(k.taskId)
      const { rows, missing } = projectTasks(replay.doc, ids)
      const columns = projectBoard(replay.doc).columns
      const fields = projectFields(replay.doc)
      const search = taskSearchTexts(replay.doc, ids).rows
      const relations = listRelations(replay.doc)
      replay.doc.destroy()
      this.#carry.set(projectId, replay.known)
      this.#committedSeq.set(projectId, lastSeq)
      this.#enqueue(projectId, {
        rows,
        missing,
        columns,
        fields,
        changes: replay.changes,
        seq: lastSeq,
        search,
        relations,
      })
    } catch (err) {
      this.#logger.error('projection catch-up failed', { doc: projectId, err: String(err) })
    }
  }

  /** Updates up to `seq` are durable: schedule a write. */
  committed(projectId: string, seq: number): void {
    if (!this.#trackers.has(projectId)) return
    this.#committedSeq.set(projectId, Math.max(seq, this.#committedSeq.get(projectId) ?? 0))
    this.#schedule(projectId)
  }

  /** The room's doc is about to be destroyed: take what is pending now, write it later. */
  docDropped(projectId: string): void {
    const tracker = this.#trackers.get(projectId)
    if (!tracker) return
    this.#enqueue(projectId, this.#collect(projectId, tracker))
    tracker.detach()
    this.#trackers.delete(projectId)
    this.#carry.set(projectId, new Map(tracker.known))
  }

  /** Writes every pending projection now and waits for all writes (tests, shutdown). */
  async drain(): Promise<void> {
    for (const [id, tracker] of this.#trackers) this.#enqueue(id, this.#collect(id, tracker))
    await Promise.all([...this.#chains.values()])
  }

  #schedule(projectId: string): void {
    const t = this.#timers.get(projectId)
    if (t) clearTimeout(t)
    const timer = setTimeout(() => {
      this.#timers.delete(projectId)
      const tracker = this.#trackers.get(projectId)
      if (tracker) this.#enqueue(projectId, this.#collect(projectId, tracker))
    }, this.#debounceMs)
    timer.unref()
    this.#timers.set(projectId, timer)
  }

  /** Reads the pending rows from the doc now (synchronously), for a later write. */
  #collect(projectId: string, tracker: DocTracker): ProjectionWork | null {
    const t = this.#timers.get(projectId)
    if (t) clearTimeout(t)
    this.#timers.delete(projectId)
    const upto = this.#committedSeq.get(projectId) ?? 0
    // Only changes of durable updates are written; later ones wait for their commit.
    const ready = tracker.changes.filter((c) => c.seq <= upto)
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
    tracker.changes = tracker.changes.filter((c) => c.seq > upto)
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

  #enqueue(projectId: string, work: ProjectionWork | null): void {
    if (!work) return
    const prev = this.#chains.get(projectId) ?? Promise.resolve()
    const next = prev
      .then(() => writeProjection(this.#db, projectId, work))
      .catch((err) => {
        this.#logger.error('projection write failed', { doc: projectId, err: String(err) })
        // Rows are re-read on the next edit; a rebuild restores anything lost here.
        this.#trackers.get(projectId)?.markAllDirty()
      })
    this.#chains.set(projectId, next)
    void next.then(() => {
      if (this.#chains.get(projectId) === next) this.#chains.delete(projectId)
    })
  }
}

interface ProjectionWork {
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

async function writeProjection(db: Db, projectId: string, work: ProjectionWork): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await projectExists(trx, projectId))) return
    if (work.columns) await replaceColumns(trx, projectId, work.columns)
    if (work.fields) await replaceFields(trx, projectId, work.fields)
    await upsertTasks(trx, projectId, work.rows)
    await deleteTasks(trx, projectId, work.missing)
    await writeSearchDocs(trx, projectId, work.search, work.missing)
    await insertStatusChanges(trx, projectId, work.changes)
    if (work.relations) await replaceRelations(trx, projectId, work.relations)
    await setProjectedSeq(trx, projectId, work.seq)
  })
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
    await setProjectedSeq(trx, projectId, lastSeq)
  })
  doc.destroy()
}
