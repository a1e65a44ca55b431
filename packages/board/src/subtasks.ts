import * as Y from 'yjs'
import { readChecklist } from './checklist.js'
import { keyForIndex } from './order.js'
import { sortedColumns } from './read.js'
import { type BoardError, fail, ok, type Result } from './result.js'
import { bodyOf, taskDescription } from './rich-text.js'
import { type OpContext, roots, runOp, str, subMap, touchTask, type YMapAny } from './schema.js'
import { checkParent, createTaskWith, defaultSubtaskColumn, subtaskSiblings } from './tasks.js'
import { rewriteParentOrder, type SubtaskProgress, writeParent } from './tree.js'
import { checkIndex } from './validate.js'
import { boardIndex } from './view-store.js'
import {
  type BoardContext,
  readContext,
  readTaskSummary,
  type TaskDetail,
  type TaskSummary,
} from './views.js'

/*
 * Subtasks: operations and readers of the task hierarchy (H1–H8, docs/document-schema.md).
 * A subtask is a task like any other (its own column, fields, comments, subtasks); only its
 * parent record says where it hangs.
 */

const by = (ctx: OpContext | undefined) => ctx?.userId ?? null

function taskMap(doc: Y.Doc, taskId: unknown): YMapAny | undefined {
  return typeof taskId === 'string' ? roots(doc).tasks.get(taskId) : undefined
}

/**
 * Makes a task a subtask of `parentId` (at `index` among its live subtasks, default last),
 * or a top-level task with `null`. One parent record stamped by the hybrid logical clock
 * (H1): of concurrent re-parents of one task, the later wins. Refused (`invalid`) when
 * `parentId` is the task itself or one of its subtasks (it would make a cycle); (`conflict`)
 * when either task is in the trash. Moving a parent does not move its subtasks' columns.
 * @example setParent(doc, taskId, parentId, { index: 0 })
 */
export function setParent(
  doc: Y.Doc,
  taskId: string,
  parentId: string | null,
  options?: { index?: number },
  ctx?: OpContext,
): Result<null> {
  const refused = checkSetParent(doc, taskId, parentId)
  if (refused) return refused
  const task = taskMap(doc, taskId)!
  const bad = checkIndex(options?.index)
  if (bad) return fail('invalid', bad)
  const siblings = parentId === null ? [] : subtaskSiblings(doc, parentId, taskId)
  return runOp(doc, ctx, (now) => {
    const order =
      parentId === null
        ? ''
        : keyForIndex(siblings, options?.index ?? siblings.length, (tid, key) => {
            const t = roots(doc).tasks.get(tid)
            if (t) rewriteParentOrder(t, key)
          })
    writeParent(doc, task, parentId, order, by(ctx), now)
    touchTask(task, now, ctx)
    return ok(null)
  })
}

/**
 * Why `setParent(doc, taskId, parentId)` would be refused, or null: lets a caller that makes
 * several edits at once (the task API's PATCH) check before writing any of them.
 */
export function checkSetParent(
  doc: Y.Doc,
  taskId: string,
  parentId: string | null,
): { ok: false; error: BoardError } | null {
  const task = taskMap(doc, taskId)
  if (!task) return fail('not_found', `task ${taskId} does not exist`)
  if (task.get('deletedAt') != null) return fail('conflict', 'restore the task before moving it')
  if (parentId === null) return null
  const err = checkParent(doc, parentId)
  if (err) return err
  if (boardIndex(doc).tree.isWithin(parentId, taskId)) {
    return fail('invalid', 'a task cannot become a subtask of itself or of its own subtask')
  }
  return null
}

/**
 * Moves a subtask to `index` among its parent's live subtasks (B2 keys). It writes a new
 * parent record naming the same parent (H6): a concurrent re-parent and this reorder are
 * decided like two re-parents, the later wins. `invalid` for a top-level task.
 * @example moveSubtask(doc, subtaskId, 0)
 */
export function moveSubtask(
  doc: Y.Doc,
  taskId: string,
  index: number,
  ctx?: OpContext,
): Result<null> {
  const task = taskMap(doc, taskId)
  if (!task) return fail('not_found', `task ${taskId} does not exist`)
  const bad = checkIndex(index)
  if (bad || index === undefined) return fail('invalid', bad ?? 'index is required')
  const parentId = boardIndex(doc).tree.parentOf(taskId)
  if (parentId === null) return fail('invalid', `task ${taskId} is not a subtask`)
  return setParent(doc, taskId, parentId, { index }, ctx)
}

/**
 * Turns a checklist item into a subtask of its task, in one transaction: the subtask gets
 * the item's text as title, starts in the first `done` column if the item was ticked
 * (`completedAt` now; without a done column, like an open item) or else in the first `todo`
 * column, goes last among the subtasks, and the item is removed. The subtask's id is the
 * item's id (H8), so two devices converting the same item offline make one subtask.
 * @example convertChecklistItemToSubtask(doc, taskId, itemId, { userId: me })
 */
export function convertChecklistItemToSubtask(
  doc: Y.Doc,
  taskId: string,
  itemId: string,
  ctx?: OpContext,
): Result<{ id: string }> {
  const task = taskMap(doc, taskId)
  if (!task) return fail('not_found', `task ${taskId} does not exist`)
  const list = subMap(task, 'checklist')
  const item = typeof itemId === 'string' ? list?.get(itemId) : undefined
  if (!list || !(item instanceof Y.Map)) {
    return fail('not_found', `checklist item ${itemId} does not exist`)
  }
  if (roots(doc).tasks.has(itemId)) return fail('conflict', 'this item is already a task')
  const done = item.get('done') === true
  const doneColumn = done ? sortedColumns(doc).find((c) => c.category === 'done')?.id : undefined
  const columnId = doneColumn ?? defaultSubtaskColumn(doc)
  return createTaskWith(
    doc,
    { title: str(item as YMapAny, 'text') || 'Untitled', columnId, parentId: taskId },
    ctx,
    {
      id: itemId,
      alsoWrite: (now) => {
        list.delete(itemId)
        touchTask(task, now, ctx)
      },
    },
  )
}

/**
 * Live direct subtasks of a task, in subtask order (empty for an unknown task or none).
 * @example getSubtasks(doc, taskId).map((s) => s.title)
 */
export function getSubtasks(doc: Y.Doc, parentId: string): readonly TaskSummary[] {
  return boardIndex(doc).subtasks(parentId)
}

/**
 * A subtask's order key among its parent's subtasks (B2; '' at top level): `getSubtasks`
 * sorts by (key, id), so a reader paging through a subtask list can mark its place by it.
 */
export function getSubtaskOrderKey(doc: Y.Doc, taskId: string): string {
  return boardIndex(doc).tree.orderOf(taskId)
}

/**
 * Done / total and points of a task's live direct subtasks (a subtask is done in a `done`
 * column, H7); null when it has none.
 */
export function getSubtaskProgress(doc: Y.Doc, parentId: string): SubtaskProgress | null {
  return boardIndex(doc).summary(parentId)?.subtaskProgress ?? null
}

/** A task's parents, the top-level one first: the breadcrumb. Empty at top level. */
export function getAncestors(doc: Y.Doc, taskId: string): Array<{ id: string; title: string }> {
  const idx = boardIndex(doc)
  return idx.tree.ancestorsOf(taskId).map((id) => ({ id, title: idx.summary(id)?.title ?? '' }))
}

/**
 * Ids of a task's descendants (live and trashed), parents before their children.
 * @example getDescendantIds(doc, taskId).length
 */
export function getDescendantIds(doc: Y.Doc, taskId: string): string[] {
  return boardIndex(doc).tree.descendantsOf(taskId)
}

/** What `readTaskFields` gives: a task's own fields, none that depends on other tasks. */
export type TaskOwnFields = Omit<
  TaskDetail,
  'ancestors' | 'parentId' | 'depth' | 'parentTitle' | 'subtaskProgress'
>

/**
 * A task's own fields as `getTask` reads them (summary, description, checklist), straight
 * from the document and without the board's view store: no breadcrumb, parent, depth or
 * subtask progress (those depend on other tasks). For a reader that applies updates one at
 * a time and reads the few tasks each touched (the server's task-history derivation):
 * keeping a view store current after every update costs it more than these reads. `ctx`:
 * `readBoardContext(doc)`, read once for the tasks of one state of the document.
 */
export function readTaskFields(
  doc: Y.Doc,
  taskId: string,
  ctx: BoardContext = readContext(doc),
): TaskOwnFields | undefined {
  const task = taskMap(doc, taskId)
  if (!task) return undefined
  const {
    parentId: _parent,
    depth: _depth,
    parentTitle: _parentTitle,
    subtaskProgress: _progress,
    ...own
  } = readTaskSummary(taskId, task, ctx)
  return {
    ...own,
    description: taskDescription(task),
    richBody: bodyOf(task) !== null,
    checklistItems: readChecklist(subMap(task, 'checklist')),
  }
}

/** One task with its description, checklist and breadcrumb, or undefined for an unknown id. */
export function getTask(doc: Y.Doc, taskId: string): TaskDetail | undefined {
  const task = taskMap(doc, taskId)
  if (!task) return undefined
  const idx = boardIndex(doc)
  const summary = idx.summary(taskId) ?? readTaskSummary(taskId, task, readContext(doc))
  return {
    ...summary,
    description: taskDescription(task),
    richBody: bodyOf(task) !== null,
    checklistItems: readChecklist(subMap(task, 'checklist')),
    ancestors: idx.tree
      .ancestorsOf(taskId)
      .map((id) => ({ id, title: idx.summary(id)?.title ?? '' })),
  }
}
