import type { TaskHistoryField } from '@taskflow/api'
import { type BoardContext, readBoardContext, readTaskFields } from '@taskflow/board'
import { getTaskMarkdown } from '@taskflow/board/markdown'
import * as Y from 'yjs'
import { BoardProjector } from './board-projection.js'
import type { LogRow, ReplayBase } from './history.repository.js'
import type { BoardRow, IndexWrite, StoredStep, StoredVersion } from './history-index.repository.js'

/** A task's versioned fields at one moment (values as the API shows them). */
export type TaskValues = Record<TaskHistoryField, unknown>

/** Edits of one field by one person closer than this are one version. */
export const VERSION_MERGE_MS = 2 * 60_000
/** Stored updates of one person closer than this are one step. */
export const STEP_MERGE_MS = 60_000

const FIELDS: readonly TaskHistoryField[] = [
  'title',
  'description',
  'column',
  'assignees',
  'labels',
  'priority',
  'startDate',
  'dueDate',
  'estimate',
  'checklist',
  'trashed',
]

/** What one transaction touched, found by walking each changed type up to its root entry. */
interface Touched {
  tasks: Set<string>
  columns: Set<string>
  board: boolean
}

/** Where a resumed derivation left off (history-index.repository.ts). */
export interface ResumeFrom {
  /** The newest stored version of each task and field. */
  latest: readonly StoredVersion[]
  lastStep: StoredStep | null
}

/** A whole board is stored once the patches since the last one reach 1/this of its size. */
const WHOLE_PER_PATCH_BYTES = 2

const key = (taskId: string, field: string) => `${taskId}\u0000${field}`

/**
 * Derives every field-level version of every task and the change steps of one document
 * from its log: each update is applied on its own, the tasks it touched are read, and what
 * differs from before is a version attributed to the update's stored sender and time. The
 * result is stored (history-index.repository.ts) batch by batch through `takeWrite`; in
 * memory stay only the document, the newest version per task and field and the last step
 * (what the next update may merge into). `apply` must get rows in seq order.
 */
export class HistoryIndex {
  readonly doc = new Y.Doc()
  lastSeq: number
  readonly #values = new Map<string, TaskValues>()
  readonly #columnNames = new Map<string, string>()
  readonly #latest = new Map<string, StoredVersion>()
  #lastStep: StoredStep | null = null
  #removed: IndexWrite['removed'] = []
  /** Versions not stored yet, by task, field and seq, in the order they were made. */
  #added = new Map<string, StoredVersion>()
  #steps = new Map<number, StoredStep>()
  #touched: Touched = { tasks: new Set(), columns: new Set(), board: false }
  /** The root maps, as the plain shared types `tr.changed` names. */
  readonly #tasksRoot: object
  readonly #columnsRoot: object
  /** The board read as of `lastSeq`, and its rows not stored yet. */
  readonly #projector: BoardProjector
  #boardRows: BoardRow[] = []
  /** Size of the newest stored whole board, and of the patches stored after it. */
  #fullBytes = 0
  #patchBytes = 0

  /**
   * `state`: updates that make the document as of `atSeq`, applied in order. Without
   * `resume` the index starts at `base` (= atSeq): every task's values there are its first
   * versions; with it, the derivation continues after `atSeq`.
   */
  constructor(
    readonly base: ReplayBase,
    state: readonly Uint8Array[],
    atSeq: number,
    resume: ResumeFrom | null,
  ) {
    this.lastSeq = atSeq
    this.#tasksRoot = this.doc.getMap('tasks')
    this.#columnsRoot = this.doc.getMap('columns')
    this.doc.transact(() => {
      for (const u of state) Y.applyUpdate(this.doc, u)
    })
    if (resume) {
      for (const v of resume.latest) this.#latest.set(key(v.taskId, v.field), v)
      this.#lastStep = resume.lastStep
    }
    const ctx = readBoardContext(this.doc)
    for (const id of this.doc.getMap('tasks').keys()) {
      const v = this.#read(id, ctx)
      if (!v) continue
      this.#values.set(id, v)
      if (resume) continue
      for (const field of FIELDS) {
        this.#push({
          taskId: id,
          seq: base.seq,
          at: base.at,
          userId: null,
          field,
          value: v[field],
          initial: true,
        })
      }
    }
    this.#projector = new BoardProjector(this.doc)
    const full = JSON.stringify(this.#projector.board)
    this.#fullBytes = full.length
    // A resumed derivation's whole board at `atSeq` is stored already or derivable from the
    // last stored one and the patches after it.
    if (!resume) this.#boardRows.push({ seq: atSeq, kind: 'full', body: full })
    this.doc.on('afterTransaction', (tr: Y.Transaction) => {
      for (const [type, keys] of tr.changed) this.#classify(type, keys)
    })
  }

  /** What changed since the last call, to store with the new position. */
  takeWrite(): IndexWrite {
    const w: IndexWrite = {
      cursor: { base: { kind: this.base.kind, seq: this.base.seq }, lastSeq: this.lastSeq },
      removed: this.#removed,
      added: [...this.#added.values()],
      steps: [...this.#steps.values()],
      board: this.#boardRows,
    }
    this.#boardRows = []
    this.#removed = []
    this.#added = new Map()
    this.#steps = new Map()
    return w
  }

  /** Applies the next stored update and records what it changed. */
  apply(row: LogRow): void {
    this.#touched = { tasks: new Set(), columns: new Set(), board: false }
    Y.applyUpdate(this.doc, row.update)
    this.lastSeq = row.seq
    const touched = this.#touched
    this.#projectBoard(row.seq, touched)
    const taskFields = new Map<string, Set<string>>()
    // Read once per update for the tasks it touched (columns, labels as of this update).
    const ctx = touched.tasks.size > 0 ? readBoardContext(this.doc) : null
    for (const id of touched.tasks) {
      const now = this.#read(id, ctx!)
      if (!now) continue
      const before = this.#values.get(id)
      this.#values.set(id, now)
      const changed = new Set<string>()
      if (!before) {
        changed.add('created')
        for (const field of FIELDS) {
          this.#push({
            taskId: id,
            seq: row.seq,
            at: row.at,
            userId: row.userId,
            field,
            value: now[field],
            initial: false,
          })
        }
      } else {
        for (const field of FIELDS) {
          if (same(before[field], now[field], field)) continue
          changed.add(field)
          this.#addVersion({
            taskId: id,
            seq: row.seq,
            at: row.at,
            userId: row.userId,
            field,
            value: now[field],
            initial: false,
          })
        }
        if (changed.size === 0) changed.add('other')
      }
      taskFields.set(id, changed)
    }
    if (taskFields.size === 0 && touched.columns.size === 0 && !touched.board) return
    const last = this.#lastStep
    if (last && last.userId === row.userId && row.at - last.at < STEP_MERGE_MS) {
      last.toSeq = row.seq
      last.at = row.at
      for (const [id, fields] of taskFields) {
        const into = last.tasks.get(id)
        if (!into) last.tasks.set(id, fields)
        else for (const f of fields) if (!(f === 'other' && into.size > 0)) into.add(f)
        const merged = last.tasks.get(id)!
        if (merged.size > 1) merged.delete('other')
      }
      for (const c of touched.columns) last.columnIds.add(c)
      last.board ||= touched.board
      this.#steps.set(last.fromSeq, last)
    } else {
      const step: StoredStep = {
        fromSeq: row.seq,
        toSeq: row.seq,
        startedAt: row.at,
        at: row.at,
        userId: row.userId,
        tasks: taskFields,
        columnIds: new Set(touched.columns),
        board: touched.board,
      }
      this.#lastStep = step
      this.#steps.set(step.fromSeq, step)
    }
  }

  destroy(): void {
    this.doc.destroy()
  }

  /**
   * Stores what `seq` changed in the board read, and the whole board as well once the
   * patches since the last whole one weigh half of it: a `?at=` read parses at most one
   * board and half a board of patches, and the stored whole boards cost at most twice the
   * patches.
   */
  #projectBoard(seq: number, touched: Touched): void {
    const patch = this.#projector.step(touched.tasks, touched.board || touched.columns.size > 0)
    if (!patch) return
    const body = JSON.stringify(patch)
    this.#boardRows.push({ seq, kind: 'patch', body })
    this.#patchBytes += body.length
    if (this.#patchBytes * WHOLE_PER_PATCH_BYTES < this.#fullBytes) return
    const full = JSON.stringify(this.#projector.board)
    this.#boardRows.push({ seq, kind: 'full', body: full })
    this.#fullBytes = full.length
    this.#patchBytes = 0
  }

  /** A version replaces the previous one of its field by the same person within VERSION_MERGE_MS. */
  #addVersion(v: StoredVersion): void {
    const prev = this.#latest.get(key(v.taskId, v.field))
    if (prev && !prev.initial && prev.userId === v.userId && v.at - prev.at < VERSION_MERGE_MS) {
      const k = `${key(prev.taskId, prev.field)}\u0000${prev.seq}`
      if (!this.#added.delete(k)) {
        this.#removed.push({ taskId: prev.taskId, field: prev.field, seq: prev.seq })
      }
    }
    this.#push(v)
  }

  #push(v: StoredVersion): void {
    this.#latest.set(key(v.taskId, v.field), v)
    this.#added.set(`${key(v.taskId, v.field)}\u0000${v.seq}`, v)
  }

  /** Read without the board's view store (readTaskFields): this document changes one update at a time. */
  #read(id: string, ctx: BoardContext): TaskValues | null {
    const t = readTaskFields(this.doc, id, ctx)
    if (!t) return null
    const col = this.doc.getMap('columns').get(t.columnId)
    const name = col instanceof Y.Map ? col.get('name') : undefined
    if (typeof name === 'string') this.#columnNames.set(t.columnId, name)
    return {
      title: t.title,
      description: getTaskMarkdown(this.doc, id) ?? '',
      column: { id: t.columnId, name: this.#columnNames.get(t.columnId) ?? null },
      assignees: [...t.assigneeIds].sort(),
      labels: [...t.labelIds].sort(),
      priority: t.priority,
      startDate: t.startDate,
      dueDate: t.dueDate,
      estimate: t.estimate,
      checklist: t.checklistItems.map((c) => ({ id: c.id, text: c.text, done: c.done })),
      trashed: t.deletedAt !== null,
    }
  }

  // biome-ignore lint/suspicious/noExplicitAny: the type of any shared type
  #classify(type: Y.AbstractType<Y.YEvent<any>>, keys: Set<string | null>): void {
    const touched = this.#touched
    if (type === this.#tasksRoot) {
      for (const k of keys) if (k !== null) touched.tasks.add(k)
      return
    }
    if (type === this.#columnsRoot) {
      for (const k of keys) if (k !== null) touched.columns.add(k)
      return
    }
    // biome-ignore lint/suspicious/noExplicitAny: the type of any shared type
    let t: Y.AbstractType<Y.YEvent<any>> = type
    while (t._item) {
      const parent = t._item.parent
      const sub = t._item.parentSub
      if (parent === this.#tasksRoot && sub !== null) {
        touched.tasks.add(sub)
        return
      }
      if (parent === this.#columnsRoot && sub !== null) {
        touched.columns.add(sub)
        return
      }
      if (!(parent instanceof Y.AbstractType)) break
      t = parent
    }
    touched.board = true
  }
}

function same(a: unknown, b: unknown, field: TaskHistoryField): boolean {
  if (field === 'column') return (a as { id: string }).id === (b as { id: string }).id
  if (typeof a !== 'object' || a === null) return a === b
  return JSON.stringify(a) === JSON.stringify(b)
}
