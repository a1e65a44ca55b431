import type { TaskHistoryField } from '@taskflow/api'
import {
  addChecklistItem,
  deleteChecklistItem,
  deleteColumn,
  deleteTask,
  getBoardView,
  getTask,
  listLabels,
  moveTask,
  type OpContext,
  type Result,
  readMeta,
  restoreChecklistItem,
  restoreColumn,
  restoreLabel,
  restoreTask,
  type TaskDetail,
  UNPLACED_COLUMN_ID,
  updateBoardMeta,
  updateChecklistItem,
  updateTask,
} from '@taskflow/board'
import { getTaskMarkdown } from '@taskflow/board/markdown'
import type * as Y from 'yjs'

/*
 * Restore (issue 18): the difference between the live board and the board as it was
 * (`past`, rebuilt from history) written as ordinary board operations on the live
 * document, as the caller: every write is a field write that merges with concurrent edits
 * by the document's rules (docs/document-schema.md). Nothing stored is rewritten.
 */

export interface RestoreOutcome {
  taskIds: Set<string>
  columnIds: Set<string>
}

type Fail = { ok: false; error: { code: 'not_found' | 'invalid' | 'conflict'; message: string } }
const fail = (code: Fail['error']['code'], message: string): Fail => ({
  ok: false,
  error: { code, message },
})
const OK: Result<null> = { ok: true, value: null }

function columnOf(doc: Y.Doc, id: string) {
  return getBoardView(doc).columns.find((c) => c.id === id && c.id !== UNPLACED_COLUMN_ID)
}

/** Index among the column's other live tasks that puts a task with key `order` in key order. */
function indexFor(live: Y.Doc, columnId: string, taskId: string, order: string): number {
  const col = columnOf(live, columnId)
  if (!col) return 0
  return col.tasks.filter(
    (t) => t.id !== taskId && (t.order < order || (t.order === order && t.id < taskId)),
  ).length
}

/** Puts a column back with its fields then; with `withTasks`, moves back the tasks it held then. */
export function restoreColumnFrom(
  live: Y.Doc,
  past: Y.Doc,
  columnId: string,
  withTasks: boolean,
  ctx: OpContext,
  out: RestoreOutcome,
): Result<null> {
  const then = columnOf(past, columnId)
  if (!then) return fail('not_found', 'The column did not exist at that time')
  const now = columnOf(live, columnId)
  if (
    !now ||
    now.name !== then.name ||
    now.category !== then.category ||
    now.wipLimit !== then.wipLimit ||
    now.order !== then.order
  ) {
    const r = restoreColumn(
      live,
      {
        id: columnId,
        name: then.name,
        category: then.category,
        wipLimit: then.wipLimit,
        order: then.order,
      },
      ctx,
    )
    if (!r.ok) return r
    out.columnIds.add(columnId)
  }
  if (!withTasks) return OK
  for (const t of then.tasks) {
    const cur = getTask(live, t.id)
    if (!cur || cur.deletedAt !== null || cur.columnId === columnId) continue
    const r = moveTask(
      live,
      t.id,
      { columnId, index: indexFor(live, columnId, t.id, t.order) },
      ctx,
    )
    if (!r.ok) return r
    out.taskIds.add(t.id)
  }
  return OK
}

/** Gives a task (or one `field` of it) its value at the past time. */
export function restoreTaskFrom(
  live: Y.Doc,
  past: Y.Doc,
  taskId: string,
  field: TaskHistoryField | undefined,
  ctx: OpContext,
  out: RestoreOutcome,
): Result<null> {
  const then = getTask(past, taskId)
  if (!then) return fail('not_found', 'The task did not exist at that time')
  let cur = getTask(live, taskId)
  if (!cur) return fail('conflict', 'The task is no longer on the board')
  const want = (f: TaskHistoryField) => field === undefined || field === f
  const touched = () => out.taskIds.add(taskId)
  // Out of the trash first: a trashed task cannot be moved or edited by the checklist.
  if (want('trashed') && then.deletedAt === null && cur.deletedAt !== null) {
    const r = restoreTask(live, taskId, ctx)
    if (!r.ok) return r
    touched()
    cur = getTask(live, taskId)!
  }
  if (want('column') && cur.deletedAt === null) {
    const r = restorePlace(live, past, then, cur, ctx, out)
    if (!r.ok) return r
  }
  if (want('labels')) {
    const r = restoreLabelsOf(live, past, then, ctx)
    if (!r.ok) return r
  }
  const patch = fieldsPatch(live, past, then, cur, want)
  if (Object.keys(patch).length > 0) {
    const r = updateTask(live, taskId, patch, ctx)
    if (!r.ok) return r
    touched()
  }
  if (want('checklist')) {
    const r = restoreChecklist(live, then, cur, ctx)
    if (!r.ok) return r
    if (r.value) touched()
  }
  if (want('trashed') && then.deletedAt !== null && getTask(live, taskId)!.deletedAt === null) {
    const r = deleteTask(live, taskId, ctx)
    if (!r.ok) return r
    touched()
  }
  return OK
}

function restorePlace(
  live: Y.Doc,
  past: Y.Doc,
  then: TaskDetail,
  cur: TaskDetail,
  ctx: OpContext,
  out: RestoreOutcome,
): Result<null> {
  const pastCol = then.columnId
  if (pastCol === UNPLACED_COLUMN_ID) return OK
  if (!columnOf(live, pastCol)) {
    const r = restoreColumnFrom(live, past, pastCol, false, ctx, out)
    if (!r.ok) return r
  }
  if (cur.columnId === pastCol && cur.order === then.order) return OK
  const index = indexFor(live, pastCol, then.id, then.order)
  if (cur.columnId === pastCol) {
    // Already between the neighbours it had: a move would only churn its key.
    const col = columnOf(live, pastCol)!
    if (col.tasks.findIndex((t) => t.id === then.id) === index) return OK
  }
  const r = moveTask(live, then.id, { columnId: pastCol, index }, ctx)
  if (!r.ok) return r
  out.taskIds.add(then.id)
  return OK
}

function fieldsPatch(
  live: Y.Doc,
  past: Y.Doc,
  then: TaskDetail,
  cur: TaskDetail,
  want: (f: TaskHistoryField) => boolean,
) {
  const patch: Parameters<typeof updateTask>[2] = {}
  const sameSet = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n')
  if (want('title') && then.title !== cur.title) patch.title = then.title
  if (want('description')) {
    const md = getTaskMarkdown(past, then.id) ?? ''
    if (md !== (getTaskMarkdown(live, cur.id) ?? '')) patch.descriptionMarkdown = md
  }
  if (want('priority') && then.priority !== cur.priority) patch.priority = then.priority
  if (want('startDate') && then.startDate !== cur.startDate) patch.startDate = then.startDate
  if (want('dueDate') && then.dueDate !== cur.dueDate) patch.dueDate = then.dueDate
  if (want('estimate') && then.estimate !== cur.estimate) patch.estimate = then.estimate
  if (want('assignees') && !sameSet(then.assigneeIds, cur.assigneeIds)) {
    patch.assigneeIds = [...then.assigneeIds]
  }
  if (want('labels')) {
    // Labels deleted since were put back first (restoreLabelsOf); one that still could not
    // be (gone from the past board too) is left out rather than written as a dangling id.
    const exists = new Set(listLabels(live).map((l) => l.id))
    const labels = then.labelIds.filter((id) => exists.has(id))
    if (!sameSet(labels, getTask(live, cur.id)?.labelIds ?? [])) patch.labelIds = labels
  }
  return patch
}

/**
 * The labels the task had then that were deleted since, written again under their ids as
 * they were then (B21): a forward edit, so the task's set can name them again.
 */
function restoreLabelsOf(live: Y.Doc, past: Y.Doc, then: TaskDetail, ctx: OpContext): Result<null> {
  if (then.labelIds.length === 0) return OK
  const liveIds = new Set(listLabels(live).map((l) => l.id))
  const pastLabels = new Map(listLabels(past).map((l) => [l.id, l]))
  for (const id of then.labelIds) {
    const label = pastLabels.get(id)
    if (liveIds.has(id) || !label) continue
    const r = restoreLabel(live, label, ctx)
    if (!r.ok) return r
  }
  return OK
}

function restoreChecklist(
  live: Y.Doc,
  then: TaskDetail,
  cur: TaskDetail,
  ctx: OpContext,
): Result<boolean> {
  let changed = false
  const thenById = new Map(then.checklistItems.map((c) => [c.id, c]))
  const nowById = new Map(cur.checklistItems.map((c) => [c.id, c]))
  for (const c of cur.checklistItems) {
    if (thenById.has(c.id)) continue
    const r = deleteChecklistItem(live, cur.id, c.id, ctx)
    if (!r.ok) return r
    changed = true
  }
  then.checklistItems.forEach((c, index) => {
    const n = nowById.get(c.id)
    if (!n) {
      // An item deleted since comes back under its id, in its place (B22). One turned into a
      // subtask since (H8: the subtask took its id) comes back as a new item, so converting
      // it again does not clash with that subtask.
      const r = getTask(live, c.id)
        ? addChecklistItem(live, cur.id, { text: c.text, done: c.done, index }, ctx)
        : restoreChecklistItem(live, cur.id, { id: c.id, text: c.text, done: c.done, index }, ctx)
      if (r.ok) changed = true
      return
    }
    // Only the fields that differ: rewriting an equal text would override a concurrent
    // rename (B14; found by the B22 test when the restore's client id won the tie).
    const patch: { text?: string; done?: boolean } = {}
    if (n.text !== c.text) patch.text = c.text
    if (n.done !== c.done) patch.done = c.done
    if (patch.text !== undefined || patch.done !== undefined) {
      const r = updateChecklistItem(live, cur.id, c.id, patch, ctx)
      if (r.ok) changed = true
    }
  })
  return { ok: true, value: changed }
}

/**
 * The whole board back to the past: name and description, columns (deleted ones come back,
 * later ones go, their tasks to the first column), every task of then, and tasks created
 * since to the trash.
 */
export function restoreBoardFrom(
  live: Y.Doc,
  past: Y.Doc,
  ctx: OpContext,
  out: RestoreOutcome,
): Result<null> {
  const metaThen = readMeta(past)
  const metaNow = readMeta(live)
  const metaPatch: { name?: string; description?: string } = {}
  if (metaThen.name !== metaNow.name) metaPatch.name = metaThen.name
  if (metaThen.description !== metaNow.description) metaPatch.description = metaThen.description
  if (Object.keys(metaPatch).length > 0) {
    const r = updateBoardMeta(live, metaPatch, ctx)
    if (!r.ok) return r
  }
  const pastView = getBoardView(past)
  const pastCols = pastView.columns.filter((c) => c.id !== UNPLACED_COLUMN_ID)
  for (const c of pastCols) {
    const r = restoreColumnFrom(live, past, c.id, false, ctx, out)
    if (!r.ok) return r
  }
  const keep = new Set(pastCols.map((c) => c.id))
  const first = pastCols[0]?.id
  for (const c of getBoardView(live).columns) {
    if (keep.has(c.id) || c.id === UNPLACED_COLUMN_ID || first === undefined) continue
    const r = deleteColumn(live, c.id, { moveTasksTo: first }, ctx)
    if (!r.ok) return r
    out.columnIds.add(c.id)
  }
  const pastTasks = [...pastView.columns.flatMap((c) => c.tasks), ...pastView.trash]
  const thenIds = new Set(pastTasks.map((t) => t.id))
  for (const t of pastTasks) {
    if (!getTask(live, t.id)) continue
    const r = restoreTaskFrom(live, past, t.id, undefined, ctx, out)
    if (!r.ok) return r
  }
  const liveView = getBoardView(live)
  for (const t of liveView.columns.flatMap((c) => c.tasks)) {
    if (thenIds.has(t.id)) continue
    const r = deleteTask(live, t.id, ctx)
    if (!r.ok) return r
    out.taskIds.add(t.id)
  }
  return OK
}
