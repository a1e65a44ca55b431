/*
 * The subtask operations the app uses, in one place: the board package owns the hierarchy
 * (merge rules H1–H8); this file only adapts its operations to what the UI needs.
 */
import {
  convertChecklistItemToSubtask,
  createTask,
  getSubtasks,
  MAX_TITLE,
  moveSubtask,
  type OpContext,
  type Result,
  type SubtaskProgress,
  setParent as set,
} from '@taskflow/board'
import type * as Y from 'yjs'

export { MAX_TITLE, type SubtaskProgress }

/**
 * A new subtask of `parentId`, last among its subtasks, in the board's first `todo` column
 * (new work has not started, wherever its parent is).
 */
export function addSubtask(
  doc: Y.Doc,
  parentId: string,
  title: string,
  ctx: OpContext,
): Result<{ id: string }> {
  return createTask(doc, { title, parentId }, ctx)
}

/** Moves a subtask to `index` among its parent's live subtasks. */
export function reorderSubtask(doc: Y.Doc, taskId: string, index: number, ctx: OpContext) {
  return moveSubtask(doc, taskId, index, ctx)
}

/** Makes `taskId` a subtask of `parentId` (last among its subtasks), or top-level with null. */
export function setParent(doc: Y.Doc, taskId: string, parentId: string | null, ctx: OpContext) {
  return set(doc, taskId, parentId, undefined, ctx)
}

/** Turns a checklist item into a subtask with its text and done state (one undo step). */
export function convertChecklistItem(doc: Y.Doc, taskId: string, itemId: string, ctx: OpContext) {
  return convertChecklistItemToSubtask(doc, taskId, itemId, ctx)
}

/** Live tasks below `taskId` at any depth: what trashing it takes along. */
export function countLiveDescendants(doc: Y.Doc, taskId: string): number {
  let n = 0
  const stack = [taskId]
  while (stack.length) {
    for (const t of getSubtasks(doc, stack.pop()!)) {
      n++
      stack.push(t.id)
    }
  }
  return n
}
