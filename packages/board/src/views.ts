import * as Y from 'yjs'
import type { ChecklistItem } from './checklist.js'
import { countComments } from './comments.js'
import {
  FIELDS_ROOT,
  type FieldRaw,
  readTaskFieldValues,
  sameFieldValues,
} from './custom-fields.js'
import { compareOrdered } from './order.js'
import { compareMoves, readMoves } from './placement.js'
import { type ColumnInfo, effectiveColumnId, readColumn, UNPLACED_COLUMN_ID } from './read.js'
import { openBlockerIds, type RelationIndex, relationIndex } from './relations.js'
import {
  numOrNull,
  type Priority,
  roots,
  setKeys,
  str,
  strOrNull,
  subMap,
  text,
  type YMapAny,
} from './schema.js'
import {
  compareParentRecords,
  type ParentRecord,
  parseParent,
  type SubtaskProgress,
  TaskTree,
  type TreeNodeInput,
} from './tree.js'
import { checkPriority } from './validate.js'

/** What a card shows: every field but the description and checklist items. */
export interface TaskSummary {
  id: string
  title: string
  /** The column the task shows in (B12: may differ from the stored one if it was deleted). */
  columnId: string
  order: string
  priority: Priority
  startDate: string | null
  dueDate: string | null
  estimate: number | null
  assigneeIds: readonly string[]
  /** Only labels that exist on the board (B15). */
  labelIds: readonly string[]
  checklist: { done: number; total: number }
  /** Live comments on the task. */
  commentCount: number
  createdAt: number | null
  createdBy: string | null
  updatedAt: number | null
  /** Who last edited the task, as the editing client claimed (null before it was recorded). */
  updatedBy: string | null
  /** Set only while the task shows in a `done` column (B11). */
  completedAt: number | null
  deletedAt: number | null
  /**
   * Users whose move of this task a later concurrent move replaced and who have not
   * dismissed the notice yet (B10; details: `getReplacedMoves`). Usually empty.
   */
  replacedMovesBy: readonly string[]
  /**
   * Stored custom-field values by field id (F6–F8), deleted fields' included; render them
   * with `renderFieldValue` / `cardFields` and the field definitions (`listFields`).
   */
  fields: Readonly<Record<string, FieldRaw>>
  /**
   * Open blockers: tasks that block this one and are neither done nor trashed (R7),
   * sorted. Non-empty means the task is blocked. Usually empty.
   */
  blockedBy: readonly string[]
  /**
   * The parent task as every replica shows it (H1–H5), or null at top level. May differ from
   * what was stored: a cycle, a missing parent or a trashed parent of a live task show it at
   * top level.
   */
  parentId: string | null
  /** 0 at top level, 1 for a subtask, 2 for a subtask of a subtask… */
  depth: number
  /** The parent's title, for the card's breadcrumb; null at top level. */
  parentTitle: string | null
  /** Progress of the live direct subtasks; null when there are none. */
  subtaskProgress: SubtaskProgress | null
}

export interface TaskDetail extends TaskSummary {
  /** Plain text of the description, from the rich-text body when there is one. */
  description: string
  /**
   * True when the description is a rich-text body (`getTaskBody`, every task created since
   * schema v2); false for an older task whose description is a plain `Y.Text` (`getTaskText`).
   */
  richBody: boolean
  checklistItems: ChecklistItem[]
  /** The chain of parents, the top-level one first (empty at top level): the breadcrumb. */
  ancestors: ReadonlyArray<{ id: string; title: string }>
}

export interface ColumnView extends ColumnInfo {
  /** Live tasks in order. */
  tasks: readonly TaskSummary[]
  /** True when a WIP limit is set and exceeded. */
  overWipLimit: boolean
}

/** The board as the app draws it. */
export interface BoardView {
  name: string
  description: string
  schemaVersion: number | null
  columns: readonly ColumnView[]
  /** Deleted tasks, most recently deleted first. */
  trash: readonly TaskSummary[]
}

/** What a task's summary depends on besides the task itself. */
export interface BoardContext {
  columns: readonly ColumnInfo[]
  columnById: ReadonlyMap<string, ColumnInfo>
  firstColumnId: string | null
  labelIds: ReadonlySet<string>
  /**
   * The board has (or had) a custom field. Without one no task can hold a value, so
   * summaries skip scanning the task's keys for them (most boards, at no cost).
   */
  hasFields: boolean
  /** For `blockedBy`: the blocks index and the tasks it names. */
  relations: RelationIndex
  tasks: Y.Map<YMapAny>
}

export function readContext(doc: Y.Doc): BoardContext {
  const { columns: cmap, labels, tasks } = roots(doc)
  const columns: ColumnInfo[] = []
  cmap.forEach((col, id) => {
    columns.push(readColumn(id, col))
  })
  columns.sort(compareOrdered)
  return {
    columns,
    columnById: new Map(columns.map((c) => [c.id, c])),
    firstColumnId: columns[0]?.id ?? null,
    labelIds: new Set(labels.keys()),
    hasFields: doc.getMap(FIELDS_ROOT).size > 0,
    relations: relationIndex(doc),
    tasks,
  }
}

// Keeps the same array when every label exists (the common case): no allocation.
function existingLabels(ids: readonly string[], exists: ReadonlySet<string>): readonly string[] {
  return ids.every((id) => exists.has(id)) ? ids : ids.filter((id) => exists.has(id))
}

/** Receives a task's winning parent record from `readTaskSummary` (one walk of the map). */
export interface ParentSink {
  parent: ParentRecord | null
  /** Scratch space reused from task to task (no allocation per task). */
  raw?: unknown[]
}

export function readTaskSummary(
  id: string,
  task: YMapAny,
  ctx: BoardContext,
  sink?: ParentSink,
): TaskSummary {
  if (sink && !sink.raw) sink.raw = []
  const moves = readMoves(task, sink?.raw)
  if (sink) {
    let parent: ParentRecord | null = null
    const raw = sink.raw!
    for (let i = 0; i < raw.length; i += 2) {
      const r = parseParent(raw[i] as string, raw[i + 1])
      if (r && (!parent || compareParentRecords(r, parent) > 0)) parent = r
    }
    raw.length = 0
    sink.parent = parent
  }
  let placement = moves[0] ?? null
  let replacedMovesBy: string[] | null = null
  if (moves.length > 1) {
    for (const m of moves) if (compareMoves(m, placement!) > 0) placement = m
    for (const m of moves) {
      if (m === placement || m.by === null) continue
      if (!replacedMovesBy) replacedMovesBy = [m.by]
      else if (!replacedMovesBy.includes(m.by)) replacedMovesBy.push(m.by)
    }
  }
  const columnId = effectiveColumnId(placement?.columnId ?? null, ctx.columnById, ctx.firstColumnId)
  const category = ctx.columnById.get(columnId)?.category ?? 'todo'
  const updatedAt = numOrNull(task, 'updatedAt')
  const priority = task.get('priority')
  let done = 0
  let total = 0
  const checklist = subMap(task, 'checklist')
  if (checklist) {
    for (const item of checklist._map.values()) {
      if (item.deleted) continue
      total++
      const m = item.content.getContent()[0]
      if (m instanceof Y.Map && m.get('done') === true) done++
    }
  }
  return {
    id,
    title: text(task, 'title')?.toString() ?? '',
    columnId,
    order: placement?.order ?? 'a0',
    priority: checkPriority(priority) ? priority : 'none',
    startDate: strOrNull(task, 'startDate'),
    dueDate: strOrNull(task, 'dueDate'),
    estimate: numOrNull(task, 'estimate'),
    assigneeIds: setKeys(subMap(task, 'assignees')),
    labelIds: existingLabels(setKeys(subMap(task, 'labels')), ctx.labelIds),
    checklist: { done, total },
    commentCount: countComments(task),
    createdAt: numOrNull(task, 'createdAt'),
    createdBy: strOrNull(task, 'createdBy'),
    updatedAt,
    updatedBy: strOrNull(task, 'updatedBy'),
    completedAt: category === 'done' ? (placement?.completedAt ?? updatedAt) : null,
    deletedAt: numOrNull(task, 'deletedAt'),
    replacedMovesBy: replacedMovesBy ? replacedMovesBy.sort() : NONE,
    fields: ctx.hasFields ? readTaskFieldValues(task) : NO_FIELDS,
    blockedBy: openBlockerIds(id, ctx),
    // Tree fields depend on other tasks: `withTreeFields` fills them in.
    parentId: null,
    depth: 0,
    parentTitle: null,
    subtaskProgress: null,
  }
}

const NONE: readonly string[] = Object.freeze([])
const NO_FIELDS: Readonly<Record<string, FieldRaw>> = Object.freeze({})

/** True when both summaries show the same thing (lets views keep object identity). */
export function sameSummary(a: TaskSummary, b: TaskSummary): boolean {
  return sameSummaryFields(a, b, Object.keys(a) as (keyof TaskSummary)[])
}

/**
 * True when two summaries agree on `keys`, comparing id lists and checklist progress by
 * value. A component showing only some fields (a board card) re-renders on those alone.
 */
export function sameSummaryFields<K extends keyof TaskSummary>(
  a: Pick<TaskSummary, K>,
  b: Pick<TaskSummary, K>,
  keys: readonly K[],
): boolean {
  for (const k of keys) {
    const x: unknown = a[k]
    const y: unknown = b[k]
    if (x === y) continue
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length || x.some((v, i) => v !== y[i])) return false
      continue
    }
    if (k === 'fields') {
      if (!sameFieldValues(x as TaskSummary['fields'], y as TaskSummary['fields'])) return false
      continue
    }
    if (k === 'checklist') {
      const cx = x as TaskSummary['checklist']
      const cy = y as TaskSummary['checklist']
      if (cx.done !== cy.done || cx.total !== cy.total) return false
      continue
    }
    if (k === 'subtaskProgress' && x !== null && y !== null) {
      const px = x as SubtaskProgress
      const py = y as SubtaskProgress
      if (
        px.done !== py.done ||
        px.total !== py.total ||
        px.points !== py.points ||
        px.donePoints !== py.donePoints
      ) {
        return false
      }
      continue
    }
    return false
  }
  return true
}

export function compareTrash(a: TaskSummary, b: TaskSummary): number {
  return (b.deletedAt ?? 0) - (a.deletedAt ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** Column views from grouped task lists; a board without columns gets a synthetic one (B12). */
export function buildColumnViews(
  ctx: BoardContext,
  byColumn: ReadonlyMap<string, readonly TaskSummary[]>,
): ColumnView[] {
  const cols: ColumnInfo[] =
    ctx.columns.length > 0
      ? [...ctx.columns]
      : [
          {
            id: UNPLACED_COLUMN_ID,
            name: 'No column',
            category: 'todo',
            order: 'a0',
            wipLimit: null,
          },
        ]
  return cols.map((c) => columnView(c, byColumn.get(c.id) ?? []))
}

export function columnView(c: ColumnInfo, tasks: readonly TaskSummary[]): ColumnView {
  return { ...c, tasks, overWipLimit: c.wipLimit !== null && tasks.length > c.wipLimit }
}

/**
 * Computes the whole board view from the document. For a live UI use
 * `createBoardViewStore`, which keeps it current incrementally.
 * @example getBoardView(doc).columns.map((c) => c.tasks.length)
 */
export function getBoardView(doc: Y.Doc): BoardView {
  const { ctx, summaries } = computeSummaries(doc)
  const byColumn = new Map<string, TaskSummary[]>()
  const trash: TaskSummary[] = []
  for (const s of summaries.values()) {
    if (s.deletedAt !== null) {
      trash.push(s)
      continue
    }
    const list = byColumn.get(s.columnId)
    if (list) list.push(s)
    else byColumn.set(s.columnId, [s])
  }
  for (const list of byColumn.values()) list.sort(compareOrdered)
  const { meta } = roots(doc)
  return {
    name: str(meta, 'name'),
    description: str(meta, 'description'),
    schemaVersion: numOrNull(meta, 'schemaVersion'),
    columns: buildColumnViews(ctx, byColumn),
    trash: trash.sort(compareTrash),
  }
}

/** Every task's summary, tree fields included, with the tree they were computed from. */
export interface ComputedSummaries {
  ctx: BoardContext
  tree: TaskTree
  summaries: Map<string, TaskSummary>
}

// Tree inputs of the tasks without a parent record (most of them): shared, not one per task.
const LIVE_ROOT: TreeNodeInput = Object.freeze({ deleted: false, rec: null })
const TRASHED_ROOT: TreeNodeInput = Object.freeze({ deleted: true, rec: null })

/** Reads every task and derives the hierarchy (H1–H5) from scratch. */
export function computeSummaries(doc: Y.Doc): ComputedSummaries {
  const ctx = readContext(doc)
  const summaries = new Map<string, TaskSummary>()
  const nodes = new Map<string, TreeNodeInput>()
  const sink: ParentSink = { parent: null }
  roots(doc).tasks.forEach((task, id) => {
    const s = readTaskSummary(id, task, ctx, sink)
    summaries.set(id, s)
    const deleted = s.deletedAt !== null
    const rec = sink.parent
    nodes.set(id, rec ? { deleted, rec } : deleted ? TRASHED_ROOT : LIVE_ROOT)
  })
  const tree = TaskTree.from(nodes, 'adopt')
  finishTreeFields(ctx, tree, summaries)
  return { ctx, tree, summaries }
}

/**
 * Fills in the tree fields of every summary of `summaries`, in place: they were just read
 * and nobody holds them yet, so a subtask's summary is not copied to change four fields.
 * Only fields other than the tree fields are read from other summaries (title, column,
 * estimate, trash), so the order of the writes does not matter.
 */
export function finishTreeFields(
  ctx: BoardContext,
  tree: TaskTree,
  summaries: Map<string, TaskSummary>,
): void {
  // One pass over the effective edges, no child sets: each subtask gets its parent's id and
  // title and adds itself to the parent's progress (H7). Only tasks in the hierarchy have
  // tree fields to fill: the rest keep the defaults.
  tree.forEachEdge((id, parentId) => {
    const s = summaries.get(id)
    const p = summaries.get(parentId)
    if (!s || !p) return
    s.parentId = parentId
    s.depth = tree.depthOf(id)
    s.parentTitle = p.title
    if (s.deletedAt !== null) return
    const pts = s.estimate ?? 0
    const done = ctx.columnById.get(s.columnId)?.category === 'done'
    const prog = p.subtaskProgress
    if (prog === null) {
      p.subtaskProgress = { done: done ? 1 : 0, total: 1, points: pts, donePoints: done ? pts : 0 }
    } else {
      prog.total++
      prog.points += pts
      if (done) {
        prog.done++
        prog.donePoints += pts
      }
    }
  })
}

/** Whether a column is a `done` column (a subtask there counts as done, H7). */
export function doneTest(ctx: BoardContext): (columnId: string) => boolean {
  return (columnId) => ctx.columnById.get(columnId)?.category === 'done'
}

export interface TaskFilter {
  assigneeId?: string
  labelId?: string
  /** `overdue`: due before today and not done; `today`; `week`: due within 7 days; `none`: no due date. */
  due?: 'overdue' | 'today' | 'week' | 'none'
  /** Today's date `YYYY-MM-DD` in the user's time zone; default UTC today. */
  today?: string
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/**
 * Live tasks matching every given criterion, in board order.
 * @example filterTasks(getBoardView(doc), { assigneeId: me, due: 'overdue' })
 */
export function filterTasks(view: BoardView, filter: TaskFilter): TaskSummary[] {
  const today = filter.today ?? new Date().toISOString().slice(0, 10)
  const out: TaskSummary[] = []
  for (const col of view.columns) {
    for (const t of col.tasks) {
      if (filter.assigneeId && !t.assigneeIds.includes(filter.assigneeId)) continue
      if (filter.labelId && !t.labelIds.includes(filter.labelId)) continue
      if (filter.due) {
        const due = t.dueDate
        const open = t.completedAt === null
        if (filter.due === 'none' && due !== null) continue
        if (filter.due === 'overdue' && !(due !== null && due < today && open)) continue
        if (filter.due === 'today' && due !== today) continue
        if (filter.due === 'week' && !(due !== null && due >= today && due <= addDays(today, 7))) {
          continue
        }
      }
      out.push(t)
    }
  }
  return out
}
