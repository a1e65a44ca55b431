import * as Y from 'yjs'
import { newId } from './ids.js'
import { markdownCodec } from './markdown-codec.js'
import { keyForIndex } from './order.js'
import {
  dismissMove,
  type ReplacedMove,
  readPlacement,
  replacedMoves,
  rewritePlacement,
  writeMove,
} from './placement.js'
import {
  effectiveColumnId,
  liveTasksIn,
  type PlacedTask,
  readColumn,
  sortedColumns,
} from './read.js'
import { fail, ok, type Result } from './result.js'
import { bodyOf, plainTextBlocks, writePlainTextBody } from './rich-text.js'
import {
  type OpContext,
  type Priority,
  roots,
  runOp,
  subMap,
  text,
  touchTask,
  type YMapAny,
} from './schema.js'
import { replaceText } from './text-edit.js'
import { rewriteParentOrder, writeParent } from './tree.js'
import {
  checkDate,
  checkEstimate,
  checkIdList,
  checkIndex,
  checkName,
  checkNameChars,
  checkPriority,
  checkText,
  MAX_DESCRIPTION,
  MAX_TITLE,
} from './validate.js'
import { boardIndex, boardViewStore } from './view-store.js'

/** Fields a task can be created or updated with. Dates are `YYYY-MM-DD`. */
export interface TaskFields {
  title: string
  description: string
  priority: Priority
  startDate: string | null
  dueDate: string | null
  estimate: number | null
  assigneeIds: string[]
  labelIds: string[]
}

/**
 * The description as Markdown (the task API's form): read into headings, lists, marks…
 * (see markdown.ts). Give it or `description` (plain text, one paragraph per line), not both.
 */
export interface MarkdownDescription {
  descriptionMarkdown?: string
}

export interface CreateTaskInput extends Partial<TaskFields>, MarkdownDescription {
  /**
   * The column. May be left out for a subtask (`parentId`): it then starts in the board's
   * first `todo` column (or its first column).
   */
  columnId?: string
  title: string
  /** Position among the column's live tasks; default last. */
  index?: number
  /** Creates the task as a subtask of this (live) task (H1). */
  parentId?: string | null
  /** Position among the parent's live subtasks; default last. */
  subtaskIndex?: number
}

/** Why these task fields are refused, or null (shared with importTasks). */
export function checkFields(f: Partial<TaskFields>): string | null {
  return (
    (f.title !== undefined ? checkName(f.title, 'title', MAX_TITLE) : null) ??
    (f.description !== undefined
      ? checkText(f.description, 'description', MAX_DESCRIPTION)
      : null) ??
    (f.priority !== undefined && !checkPriority(f.priority)
      ? 'priority must be none, low, medium, high or urgent'
      : null) ??
    (f.startDate !== undefined ? checkDate(f.startDate, 'startDate') : null) ??
    (f.dueDate !== undefined ? checkDate(f.dueDate, 'dueDate') : null) ??
    (f.startDate && f.dueDate && f.startDate > f.dueDate
      ? 'startDate must not be after dueDate'
      : null) ??
    (f.estimate !== undefined ? checkEstimate(f.estimate) : null) ??
    (f.assigneeIds !== undefined ? checkIdList(f.assigneeIds, 'assigneeIds') : null) ??
    (f.labelIds !== undefined ? checkIdList(f.labelIds, 'labelIds') : null)
  )
}

function setMembers(set: YMapAny, ids: readonly string[]): void {
  const want = new Set(ids)
  for (const k of [...set.keys()]) if (!want.has(k)) set.delete(k)
  for (const id of want) if (!set.has(id)) set.set(id, true)
}

/**
 * Creates a task in a column. @example createTask(doc, { columnId, title: 'Ship it', priority: 'high' })
 */
export function createTask(
  doc: Y.Doc,
  input: CreateTaskInput,
  ctx?: OpContext,
): Result<{ id: string }> {
  return createTaskWith(doc, input, ctx)
}

/**
 * `createTask` with a chosen id and more writes in its transaction (for operations that
 * create a task as part of something else, such as turning a checklist item into a subtask).
 */
export function createTaskWith(
  doc: Y.Doc,
  input: CreateTaskInput,
  ctx?: OpContext,
  extra?: { id?: string; alsoWrite?: (now: number) => void },
): Result<{ id: string }> {
  if (!input || typeof input !== 'object') return fail('invalid', 'input must be an object')
  const { columns, tasks } = roots(doc)
  const parentId = input.parentId ?? null
  const columnId =
    input.columnId === undefined && parentId !== null ? defaultSubtaskColumn(doc) : input.columnId
  const col = typeof columnId === 'string' ? columns.get(columnId) : undefined
  if (!col || typeof columnId !== 'string') {
    return fail('not_found', `column ${String(columnId)} does not exist`)
  }
  const bad =
    checkFields(input) ??
    checkMarkdown(input) ??
    checkIndex(input.index) ??
    checkIndex(input.subtaskIndex)
  if (bad) return fail('invalid', bad)
  const labelErr = unknownLabel(doc, input.labelIds)
  if (labelErr) return labelErr
  const parentErr = parentId === null ? null : checkParent(doc, parentId)
  if (parentErr) return parentErr
  const siblings = siblingsIn(doc, columnId)
  const subSiblings = parentId === null ? [] : subtaskSiblings(doc, parentId)
  return runOp(doc, ctx, (now) => {
    const id = extra?.id ?? newId()
    const task = new Y.Map<unknown>()
    const title = new Y.Text(input.title.trim())
    // Created here with the task, never lazily: two replicas creating a body under one key
    // would keep only one of them, with its typing (B17).
    const body = new Y.XmlFragment()
    body.insert(
      0,
      input.descriptionMarkdown !== undefined
        ? markdownCodec().blocks(input.descriptionMarkdown)
        : plainTextBlocks(input.description ?? ''),
    )
    const assignees = new Y.Map<unknown>()
    const labels = new Y.Map<unknown>()
    const category = readColumn(columnId, col).category
    task.set('title', title)
    task.set('body', body)
    const order = keyForIndex(siblings, input.index ?? siblings.length, (tid, key) =>
      rekeyTask(doc, tid, key),
    )
    const completedAt = category === 'done' ? now : null
    writeMove(doc, task, { columnId, order, completedAt }, by(ctx), null, now)
    if (parentId !== null) {
      const subOrder = keyForIndex(
        subSiblings,
        input.subtaskIndex ?? subSiblings.length,
        (tid, key) => rekeySubtask(doc, tid, key),
      )
      writeParent(doc, task, parentId, subOrder, by(ctx), now)
    }
    task.set('assignees', assignees)
    task.set('labels', labels)
    task.set('checklist', new Y.Map<unknown>())
    task.set('comments', new Y.Map<unknown>())
    task.set('priority', input.priority ?? 'none')
    task.set('startDate', input.startDate ?? null)
    task.set('dueDate', input.dueDate ?? null)
    task.set('estimate', input.estimate ?? null)
    task.set('createdAt', now)
    task.set('createdBy', ctx?.userId ?? null)
    touchTask(task, now, ctx)
    task.set('deletedAt', null)
    tasks.set(id, task)
    // Set members only once the maps are integrated in the document.
    setMembers(assignees, input.assigneeIds ?? [])
    setMembers(labels, input.labelIds ?? [])
    extra?.alsoWrite?.(now)
    return ok({ id })
  })
}

function checkMarkdown(f: MarkdownDescription & { description?: unknown }): string | null {
  if (f.descriptionMarkdown === undefined) return null
  if (f.description !== undefined) return 'give description or descriptionMarkdown, not both'
  return checkText(f.descriptionMarkdown, 'description', MAX_DESCRIPTION)
}

function unknownLabel(doc: Y.Doc, ids: readonly string[] | undefined) {
  if (!ids) return null
  const labels = roots(doc).labels
  const missing = ids.find((id) => !labels.has(id))
  return missing ? fail('not_found', `label ${missing} does not exist`) : null
}

// Re-keys a sibling inside a tie of equal order keys (see keyForIndex); column unchanged,
// and not a move: it keeps the stamp of the sibling's winning move.
function rekeyTask(doc: Y.Doc, taskId: string, order: string): void {
  const task = roots(doc).tasks.get(taskId)
  if (task) rewritePlacement(task, { order })
}

const by = (ctx: OpContext | undefined) => ctx?.userId ?? null

// Re-keys a subtask inside a tie of equal keys among its siblings; not a re-parent (H6).
function rekeySubtask(doc: Y.Doc, taskId: string, order: string): void {
  const task = roots(doc).tasks.get(taskId)
  if (task) rewriteParentOrder(task, order)
}

/** Where a subtask starts when no column is given: the first `todo` column, else the first. */
export function defaultSubtaskColumn(doc: Y.Doc): string | undefined {
  const cols = sortedColumns(doc)
  return (cols.find((c) => c.category === 'todo') ?? cols[0])?.id
}

/** Why `parentId` cannot take a subtask now, or null. */
export function checkParent(doc: Y.Doc, parentId: unknown) {
  if (typeof parentId !== 'string') return fail('invalid', 'parentId must be a task id or null')
  const parent = roots(doc).tasks.get(parentId)
  if (!parent) return fail('not_found', `task ${parentId} does not exist`)
  if (parent.get('deletedAt') != null) {
    return fail('conflict', 'restore the parent task before adding subtasks to it')
  }
  return null
}

/** A parent's live subtasks with their order keys, for placing a new one among them. */
export function subtaskSiblings(doc: Y.Doc, parentId: string, exceptId?: string) {
  const idx = boardIndex(doc)
  const out: Array<{ id: string; order: string }> = []
  for (const s of idx.subtasks(parentId)) {
    if (s.id !== exceptId) out.push({ id: s.id, order: idx.tree.orderOf(s.id) })
  }
  return out
}

// Neighbours of a task about to be placed. Outside a caller's transaction the cached
// view is current and saves a scan of every task; inside one it may be stale, so scan.
function siblingsIn(doc: Y.Doc, columnId: string, exceptId?: string): PlacedTask[] {
  if (doc._transaction !== null) return liveTasksIn(doc, columnId, exceptId)
  const col = boardViewStore(doc)
    .getSnapshot()
    .columns.find((c) => c.id === columnId)
  const tasks = col?.tasks ?? []
  return exceptId === undefined ? [...tasks] : tasks.filter((t) => t.id !== exceptId)
}

function getTaskMap(doc: Y.Doc, taskId: string): YMapAny | undefined {
  return typeof taskId === 'string' ? roots(doc).tasks.get(taskId) : undefined
}

/**
 * Changes any of a task's fields; each field merges on its own (B7), title and a legacy
 * description by character (B8), assignees and labels as sets (B9). On a task with a
 * rich-text body, `description` is a whole-value write of its plain text (B18): blocks
 * whose text is unchanged are kept, changed plain lines are edited in place, and other
 * changed blocks become paragraphs, losing their formatting. It is for forms, the API and
 * seeding; editors edit the body itself (`getTaskBody`).
 * @example updateTask(doc, id, { dueDate: '2026-12-01', assigneeIds: [me] })
 */
export function updateTask(
  doc: Y.Doc,
  taskId: string,
  patch: Partial<TaskFields> & MarkdownDescription,
  ctx?: OpContext,
): Result<null> {
  const task = getTaskMap(doc, taskId)
  if (!task) return fail('not_found', `task ${taskId} does not exist`)
  if (!patch || typeof patch !== 'object') return fail('invalid', 'patch must be an object')
  const known = new Set([
    'title',
    'description',
    'descriptionMarkdown',
    'priority',
    'startDate',
    'dueDate',
    'estimate',
    'assigneeIds',
    'labelIds',
  ])
  const unknown = Object.keys(patch).find((k) => !known.has(k))
  if (unknown) return fail('invalid', `unknown field ${unknown}`)
  const bad = checkFields(patch) ?? checkMarkdown(patch)
  if (bad) return fail('invalid', bad)
  const startDate = patch.startDate !== undefined ? patch.startDate : task.get('startDate')
  const dueDate = patch.dueDate !== undefined ? patch.dueDate : task.get('dueDate')
  if (typeof startDate === 'string' && typeof dueDate === 'string' && startDate > dueDate) {
    return fail('invalid', 'startDate must not be after dueDate')
  }
  const labelErr = unknownLabel(doc, patch.labelIds)
  if (labelErr) return labelErr
  return runOp(doc, ctx, (now) => {
    if (patch.title !== undefined) replaceText(text(task, 'title')!, patch.title.trim())
    if (patch.description !== undefined) writeDescription(task, patch.description)
    if (patch.descriptionMarkdown !== undefined) {
      writeDescription(task, patch.descriptionMarkdown, true)
    }
    for (const key of ['priority', 'startDate', 'dueDate', 'estimate'] as const) {
      if (patch[key] !== undefined && task.get(key) !== patch[key]) task.set(key, patch[key])
    }
    if (patch.assigneeIds) setMembers(subMap(task, 'assignees')!, patch.assigneeIds)
    if (patch.labelIds) setMembers(subMap(task, 'labels')!, patch.labelIds)
    touchTask(task, now, ctx)
    return ok(null)
  })
}

// A legacy task (plain Y.Text) keeps Markdown as its text: it shows as written.
function writeDescription(task: YMapAny, value: string, markdown = false): void {
  const body = bodyOf(task)
  if (body && markdown) markdownCodec().write(body, value)
  else if (body) writePlainTextBody(body, value)
  else {
    const legacy = text(task, 'description')
    if (legacy) replaceText(legacy, value)
  }
}

/**
 * The shared Y.Text of a task's title or legacy description, for collaborative text
 * fields. Edits made through it merge by character. Undefined for the description of a
 * task with a rich-text body (every task created since schema v2): use `getTaskBody`.
 */
export function getTaskText(
  doc: Y.Doc,
  taskId: string,
  field: 'title' | 'description',
): Y.Text | undefined {
  const task = getTaskMap(doc, taskId)
  return (task && text(task, field)) ?? undefined
}

/**
 * Types into a task's title or legacy description at a character position, as an editor
 * does. Refused (`invalid`) for the description of a task with a rich-text body.
 * @example editTaskText(doc, id, 'title', { index: 5, insert: 'new ' })
 */
export function editTaskText(
  doc: Y.Doc,
  taskId: string,
  field: 'title' | 'description',
  edit: { index: number; delete?: number; insert?: string },
  ctx?: OpContext,
): Result<null> {
  const task = getTaskMap(doc, taskId)
  if (!task) return fail('not_found', `task ${taskId} does not exist`)
  const ytext = getTaskText(doc, taskId, field)
  if (!ytext) {
    return bodyOf(task)
      ? fail('invalid', `task ${taskId} has a rich-text description: edit it through getTaskBody`)
      : fail('not_found', `task ${taskId} has no ${field}`)
  }
  const del = edit?.delete ?? 0
  const ins = edit?.insert ?? ''
  if (!Number.isInteger(edit?.index) || edit.index < 0 || edit.index > ytext.length) {
    return fail('invalid', `index must be between 0 and ${ytext.length}`)
  }
  if (!Number.isInteger(del) || del < 0 || edit.index + del > ytext.length) {
    return fail('invalid', 'delete runs past the end of the text')
  }
  if (typeof ins !== 'string') return fail('invalid', 'insert must be a string')
  const badChars = field === 'title' ? checkNameChars(ins, 'title') : null
  if (badChars) return fail('invalid', badChars)
  const max = field === 'title' ? MAX_TITLE : MAX_DESCRIPTION
  if (ytext.length - del + ins.length > max) {
    return fail('invalid', `${field} must be at most ${max} characters`)
  }
  return runOp(doc, ctx, (now) => {
    if (del > 0) ytext.delete(edit.index, del)
    if (ins.length > 0) ytext.insert(edit.index, ins)
    touchTask(task, now, ctx)
    return ok(null)
  })
}

/**
 * Moves a task to `index` among the live tasks of `columnId` (default: last). One field
 * write, never delete-and-reinsert (B10). Entering a `done` column stamps `completedAt`;
 * leaving one clears it (B11).
 * @example moveTask(doc, id, { columnId: doneId, index: 0 })
 */
export function moveTask(
  doc: Y.Doc,
  taskId: string,
  to: { columnId: string; index?: number },
  ctx?: OpContext,
): Result<null> {
  const task = getTaskMap(doc, taskId)
  if (!task) return fail('not_found', `task ${taskId} does not exist`)
  const col = typeof to?.columnId === 'string' ? roots(doc).columns.get(to.columnId) : undefined
  if (!col) return fail('not_found', `column ${String(to?.columnId)} does not exist`)
  const bad = checkIndex(to.index)
  if (bad) return fail('invalid', bad)
  if (task.get('deletedAt') != null) return fail('conflict', 'restore the task before moving it')
  const siblings = siblingsIn(doc, to.columnId, taskId)
  return runOp(doc, ctx, (now) => {
    const prev = readPlacement(task)
    const category = readColumn(to.columnId, col).category
    // Moving between two done columns keeps the original completion time.
    const completedAt = category === 'done' ? (prev?.completedAt ?? now) : null
    const order = keyForIndex(siblings, to.index ?? siblings.length, (tid, key) =>
      rekeyTask(doc, tid, key),
    )
    // The column the mover saw the task in (B12: its own, or the first if it was deleted).
    const columns = roots(doc).columns
    const from = effectiveColumnId(
      prev?.columnId ?? null,
      columns,
      prev && columns.has(prev.columnId) ? null : (sortedColumns(doc)[0]?.id ?? null),
    )
    writeMove(doc, task, { columnId: to.columnId, order, completedAt }, by(ctx), from, now)
    touchTask(task, now, ctx)
    return ok(null)
  })
}

/**
 * Moves of a task that a later concurrent move replaced (B10), oldest first, each with the
 * move that won: what the app tells the person whose move it was. Empty for an unknown task.
 * @example getReplacedMoves(doc, id).filter((r) => r.move.by === me)
 */
export function getReplacedMoves(doc: Y.Doc, taskId: string): ReplacedMove[] {
  const task = getTaskMap(doc, taskId)
  return task ? replacedMoves(task) : []
}

/**
 * Dismisses the notice of a replaced move (B10): its record is deleted, on every replica.
 * The winning move is refused (`conflict`); an unknown one is `not_found`.
 * @example dismissReplacedMove(doc, id, replaced.move.id, { userId: me })
 */
export function dismissReplacedMove(
  doc: Y.Doc,
  taskId: string,
  moveId: string,
  ctx?: OpContext,
): Result<null> {
  const task = getTaskMap(doc, taskId)
  if (!task) return fail('not_found', `task ${taskId} does not exist`)
  if (typeof moveId !== 'string') return fail('invalid', 'moveId must be a string')
  return runOp(doc, ctx, () => {
    const r = dismissMove(task, moveId)
    if (r === 'not_found') return fail('not_found', `move ${moveId} does not exist`)
    if (r === 'winner') return fail('conflict', 'the winning move cannot be dismissed')
    return ok(null)
  })
}

/**
 * Moves a task and its subtree to the trash (soft delete, B13, H4) in one transaction. Its
 * live descendants are marked as trashed with it (`deletedWith`), so restoring the task
 * brings them back; a descendant already in the trash stays as it was.
 */
export function deleteTask(doc: Y.Doc, taskId: string, ctx?: OpContext): Result<null> {
  const task = getTaskMap(doc, taskId)
  if (!task) return fail('not_found', `task ${taskId} does not exist`)
  const live = task.get('deletedAt') == null
  const subtree = live ? boardIndex(doc).tree.descendantsOf(taskId) : []
  return runOp(doc, ctx, (now) => {
    if (live) task.set('deletedAt', now)
    touchTask(task, now, ctx)
    const { tasks } = roots(doc)
    for (const id of subtree) {
      const t = tasks.get(id)
      if (!t || t.get('deletedAt') != null) continue
      t.set('deletedAt', now)
      t.set('deletedWith', taskId)
      touchTask(t, now, ctx)
    }
    return ok(null)
  })
}

/**
 * Brings a task back from the trash, into its column or the first column (B12, B13), with
 * everything that was trashed with it (H4): the tasks it took along, and, when it went with
 * an ancestor, the tasks below it that went with that ancestor too. A subtask added under it
 * meanwhile on another device was never trashed (H5) and is its subtask again.
 */
export function restoreTask(doc: Y.Doc, taskId: string, ctx?: OpContext): Result<null> {
  const task = getTaskMap(doc, taskId)
  if (!task) return fail('not_found', `task ${taskId} does not exist`)
  if (task.get('deletedAt') == null) return ok(null)
  const { tasks } = roots(doc)
  const cascade = task.get('deletedWith')
  const below =
    typeof cascade === 'string' ? new Set(boardIndex(doc).tree.descendantsOf(taskId)) : null
  const ids: string[] = []
  tasks.forEach((t, id) => {
    if (id === taskId || t.get('deletedAt') == null) return
    const w = t.get('deletedWith')
    if (w === taskId || (below?.has(id) && w === cascade)) ids.push(id)
  })
  return runOp(doc, ctx, (now) => {
    for (const t of [task, ...ids.map((id) => tasks.get(id)!)]) {
      t.set('deletedAt', null)
      if (t.has('deletedWith')) t.delete('deletedWith')
      touchTask(t, now, ctx)
    }
    return ok(null)
  })
}
