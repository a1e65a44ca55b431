import type { BoardResponse, Task } from '@taskflow/api'
import {
  type BoardView,
  boardViewStore,
  compareOrdered,
  type FieldDef,
  listFields,
  listLabels,
  type TaskSummary,
} from '@taskflow/board'
import { getTaskMarkdown } from '@taskflow/board/markdown'
import type * as Y from 'yjs'
import type { MemberRow } from '../projects/members.repository.js'
import { toTask } from '../tasks/tasks.presenter.js'

/*
 * The board read as plain data, derived row by row next to the task history index
 * (history-index.ts), so `GET /board?at=` reads a stored board and the patches of the rows
 * after it instead of loading a checkpoint into a Y.Doc (issue 18: one such load alone costs
 * more than the 1 s budget on a 10,000-task board). `boardFromProjection(projection)` equals
 * `toBoard(doc)` of the document it was derived from, member list aside.
 */

/** The board read without members; tasks (those `toBoard` lists) by id. */
export interface ProjectedBoard {
  name: BoardResponse['name']
  description: BoardResponse['description']
  columns: BoardResponse['columns']
  labels: BoardResponse['labels']
  tasks: Record<string, Task>
}

/**
 * What one log row changed: whole values of the board's fields, and per task its changed
 * keys (a whole task when it appeared, null when it left the board read).
 */
export interface BoardPatch {
  name?: ProjectedBoard['name']
  description?: ProjectedBoard['description']
  columns?: ProjectedBoard['columns']
  labels?: ProjectedBoard['labels']
  tasks?: Record<string, Partial<Task> | null>
}

const columnsOf = (view: BoardView): ProjectedBoard['columns'] =>
  view.columns.map((c) => ({
    id: c.id,
    name: c.name,
    category: c.category,
    position: c.order,
    wipLimit: c.wipLimit,
  }))

/**
 * Applies `patch` to `board` in place (tasks too: both must be the caller's own objects,
 * e.g. freshly parsed).
 */
export function applyBoardPatch(board: ProjectedBoard, patch: BoardPatch): void {
  if (patch.name !== undefined) board.name = patch.name
  if (patch.description !== undefined) board.description = patch.description
  if (patch.columns !== undefined) board.columns = patch.columns
  if (patch.labels !== undefined) board.labels = patch.labels
  if (!patch.tasks) return
  for (const [id, p] of Object.entries(patch.tasks)) {
    if (p === null) delete board.tasks[id]
    else {
      const cur = board.tasks[id]
      if (cur) Object.assign(cur, p)
      else board.tasks[id] = p as Task
    }
  }
}

/** The board read (`toBoard`'s shape and order) of a projection, with `members`. */
export function boardFromProjection(
  board: ProjectedBoard,
  members: readonly MemberRow[],
): BoardResponse {
  const byColumn = new Map<string, Task[]>()
  for (const t of Object.values(board.tasks)) {
    const list = byColumn.get(t.columnId)
    if (list) list.push(t)
    else byColumn.set(t.columnId, [t])
  }
  const ordered = (t: Task) => ({ order: t.position, id: t.id })
  return {
    name: board.name,
    description: board.description,
    columns: board.columns,
    labels: board.labels,
    members: members.map((m) => ({
      userId: m.user_id,
      name: m.name,
      avatarColor: m.avatar_color,
      role: m.role,
    })),
    tasks: board.columns.flatMap((c) =>
      (byColumn.get(c.id) ?? []).sort((a, b) => compareOrdered(ordered(a), ordered(b))),
    ),
  }
}

const same = (a: unknown, b: unknown) =>
  a === b || (typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b))

/**
 * Follows one document (the history derivation's) and says, after each applied row, what
 * changed in its board read. Tasks changed are found from the view store's identities (a
 * changed task or column list is a new object) plus the tasks the row touched (a
 * description is not in the summary).
 */
export class BoardProjector {
  readonly #doc: Y.Doc
  readonly #board: ProjectedBoard
  /** The summary each listed task was projected from. */
  readonly #shown = new Map<string, TaskSummary>()
  /** Each column's task list as last seen. */
  #lists = new Map<string, readonly TaskSummary[]>()
  #fields: readonly FieldDef[]
  #fieldsJson: string
  #labelsJson: string
  #columnsJson: string

  constructor(doc: Y.Doc) {
    this.#doc = doc
    const view = boardViewStore(doc).getSnapshot()
    this.#fields = listFields(doc)
    this.#fieldsJson = JSON.stringify(this.#fields)
    const labels = listLabels(doc)
    this.#labelsJson = JSON.stringify(labels)
    const columns = columnsOf(view)
    this.#columnsJson = JSON.stringify(columns)
    this.#board = {
      name: view.name,
      description: view.description,
      columns,
      labels,
      tasks: {},
    }
    for (const c of view.columns) {
      this.#lists.set(c.id, c.tasks)
      for (const s of c.tasks) {
        this.#shown.set(s.id, s)
        this.#board.tasks[s.id] = toTask(s, getTaskMarkdown(doc, s.id) ?? '', this.#fields)
      }
    }
  }

  /** The whole board as of the last row (serialize before the next `step`). */
  get board(): ProjectedBoard {
    return this.#board
  }

  /**
   * What the row just applied changed (null: nothing in the board read). `touched`: the
   * tasks it wrote to; `other`: it wrote outside the tasks and columns (labels, fields,
   * relations, comments, board meta).
   */
  step(touched: ReadonlySet<string>, other: boolean): BoardPatch | null {
    const doc = this.#doc
    const board = this.#board
    const view = boardViewStore(doc).getSnapshot()
    const patch: BoardPatch = {}
    if (view.name !== board.name) patch.name = board.name = view.name
    if (view.description !== board.description)
      patch.description = board.description = view.description
    let allTasks = false
    if (other) {
      const labels = listLabels(doc)
      const labelsJson = JSON.stringify(labels)
      if (labelsJson !== this.#labelsJson) {
        this.#labelsJson = labelsJson
        patch.labels = board.labels = labels
      }
      const fields = listFields(doc)
      const fieldsJson = JSON.stringify(fields)
      if (fieldsJson !== this.#fieldsJson) {
        this.#fields = fields
        this.#fieldsJson = fieldsJson
        allTasks = true
      }
    }
    const columns = columnsOf(view)
    const columnsJson = JSON.stringify(columns)
    if (columnsJson !== this.#columnsJson) {
      this.#columnsJson = columnsJson
      patch.columns = board.columns = columns
    }

    // Tasks whose summary or place changed: only the column lists that are new objects.
    const changed = new Set<string>()
    const left = new Set<string>()
    const lists = new Map<string, readonly TaskSummary[]>()
    for (const c of view.columns) lists.set(c.id, c.tasks)
    for (const [id, before] of this.#lists) {
      if (lists.get(id) === before) continue
      for (const s of before) left.add(s.id)
    }
    const summaries = new Map<string, TaskSummary>()
    for (const [id, list] of lists) {
      if (!allTasks && this.#lists.get(id) === list) continue
      for (const s of list) {
        left.delete(s.id)
        if (allTasks || this.#shown.get(s.id) !== s) {
          changed.add(s.id)
          summaries.set(s.id, s)
        }
      }
    }
    this.#lists = lists
    for (const id of touched) {
      if (changed.has(id) || left.has(id)) continue
      const s = this.#shown.get(id)
      if (!s) continue
      changed.add(id)
      summaries.set(id, s)
    }

    const tasks: Record<string, Partial<Task> | null> = {}
    let any = false
    for (const id of left) {
      this.#shown.delete(id)
      if (board.tasks[id]) {
        delete board.tasks[id]
        tasks[id] = null
        any = true
      }
    }
    for (const id of changed) {
      const s = summaries.get(id)
      if (!s) continue
      this.#shown.set(id, s)
      const prev = board.tasks[id]
      const description =
        prev && !touched.has(id) ? prev.description : (getTaskMarkdown(doc, id) ?? '')
      const next = toTask(s, description, this.#fields)
      board.tasks[id] = next
      if (!prev) {
        tasks[id] = next
        any = true
        continue
      }
      let diff: Partial<Task> | null = null
      for (const k of Object.keys(next) as (keyof Task)[]) {
        if (same(prev[k], next[k])) continue
        diff ??= {}
        ;(diff as Record<string, unknown>)[k] = next[k]
      }
      if (diff) {
        tasks[id] = diff
        any = true
      }
    }
    if (any) patch.tasks = tasks
    return Object.keys(patch).length > 0 ? patch : null
  }
}
