import type { TaskHistoryField } from '@taskflow/api'
import { getTask, getTaskMarkdown } from '@taskflow/board'
import * as Y from 'yjs'
import type { LogRow, ReplayBase } from './history.repository.js'

/** A task's versioned fields at one moment (values as the API shows them). */
export type TaskValues = Record<TaskHistoryField, unknown>

export interface VersionRec {
  seq: number
  at: number
  userId: string | null
  field: TaskHistoryField
  value: unknown
  /** The value the task had at the start of the index (not an edit). */
  initial: boolean
}

export interface StepRec {
  fromSeq: number
  toSeq: number
  startedAt: number
  at: number
  userId: string | null
  tasks: Map<string, Set<string>>
  columnIds: Set<string>
  board: boolean
}

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

/**
 * Every field-level version of every task and the change steps of one document, derived
 * by replaying its retained log once from its oldest base and then incrementally: each
 * update is applied on its own, the tasks it touched are read, and what differs from before
 * is a version attributed to the update's stored sender and time. Held in memory per
 * document (history.service.ts keeps a few); `apply` must get rows in seq order.
 */
export class HistoryIndex {
  readonly doc = new Y.Doc()
  lastSeq: number
  readonly versions = new Map<string, VersionRec[]>()
  readonly steps: StepRec[] = []
  readonly #values = new Map<string, TaskValues>()
  readonly #columnNames = new Map<string, string>()
  #touched: Touched = { tasks: new Set(), columns: new Set(), board: false }
  /** The root maps, as the plain shared types `tr.changed` names. */
  readonly #tasksRoot: object
  readonly #columnsRoot: object

  constructor(
    readonly base: ReplayBase,
    /** The base's state, as updates to apply in order (history.repository.ts). */
    state: readonly Uint8Array[],
  ) {
    this.lastSeq = base.seq
    this.#tasksRoot = this.doc.getMap('tasks')
    this.#columnsRoot = this.doc.getMap('columns')
    this.doc.transact(() => {
      for (const u of state) Y.applyUpdate(this.doc, u)
    })
    for (const id of this.doc.getMap('tasks').keys()) {
      const v = this.#read(id)
      if (!v) continue
      this.#values.set(id, v)
      this.versions.set(
        id,
        FIELDS.map((field) => ({
          seq: base.seq,
          at: base.at,
          userId: null,
          field,
          value: v[field],
          initial: true,
        })),
      )
    }
    this.doc.on('afterTransaction', (tr: Y.Transaction) => {
      for (const [type, keys] of tr.changed) this.#classify(type, keys)
    })
  }

  /** Applies the next stored update and records what it changed. */
  apply(row: LogRow): void {
    this.#touched = { tasks: new Set(), columns: new Set(), board: false }
    Y.applyUpdate(this.doc, row.update)
    this.lastSeq = row.seq
    const touched = this.#touched
    const taskFields = new Map<string, Set<string>>()
    for (const id of touched.tasks) {
      const now = this.#read(id)
      if (!now) continue
      const before = this.#values.get(id)
      this.#values.set(id, now)
      const changed = new Set<string>()
      let list = this.versions.get(id)
      if (!list) {
        list = []
        this.versions.set(id, list)
      }
      if (!before) {
        changed.add('created')
        for (const field of FIELDS) {
          list.push({
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
          this.#addVersion(list, {
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
    const last = this.steps[this.steps.length - 1]
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
    } else {
      this.steps.push({
        fromSeq: row.seq,
        toSeq: row.seq,
        startedAt: row.at,
        at: row.at,
        userId: row.userId,
        tasks: taskFields,
        columnIds: new Set(touched.columns),
        board: touched.board,
      })
    }
  }

  destroy(): void {
    this.doc.destroy()
  }

  #addVersion(list: VersionRec[], v: VersionRec): void {
    for (let i = list.length - 1; i >= 0; i--) {
      const prev = list[i]!
      if (prev.field !== v.field) continue
      if (!prev.initial && prev.userId === v.userId && v.at - prev.at < VERSION_MERGE_MS) {
        list.splice(i, 1)
      }
      break
    }
    list.push(v)
  }

  #read(id: string): TaskValues | null {
    const t = getTask(this.doc, id)
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
