import {
  BOARD_LOCAL_ORIGIN,
  deleteTask,
  moveTask,
  type TaskFields,
  updateTask,
} from '@taskflow/board'
import type * as Y from 'yjs'
import { undoManagerOf } from './undo'

/**
 * Runs one edit per task inside ONE document transaction: one update on the wire, one undo
 * step (the board's ops nest into it and take its origin), and the server derives one
 * activity entry per task it touched. Capture is stopped on both sides so the step merges
 * with neither the edit before nor the one after.
 */
export function bulkEdit(doc: Y.Doc, ids: readonly string[], edit: (id: string) => void): void {
  if (ids.length === 0) return
  const um = undoManagerOf(doc)
  um.stopCapturing()
  doc.transact(() => {
    for (const id of ids) edit(id)
  }, BOARD_LOCAL_ORIGIN)
  um.stopCapturing()
}

export interface BulkCtx {
  userId: string
}

/** Moves the tasks to the end of a column, in the given order. */
export function bulkMove(doc: Y.Doc, ids: readonly string[], columnId: string, ctx: BulkCtx) {
  bulkEdit(doc, ids, (id) => void moveTask(doc, id, { columnId }, ctx))
}

/** Sets the same fields on every task (priority, due date...). */
export function bulkUpdate(
  doc: Y.Doc,
  ids: readonly string[],
  patch: (id: string) => Partial<TaskFields> | null,
  ctx: BulkCtx,
) {
  bulkEdit(doc, ids, (id) => {
    const p = patch(id)
    if (p) updateTask(doc, id, p, ctx)
  })
}

/** Moves the tasks to the trash. */
export function bulkDelete(doc: Y.Doc, ids: readonly string[], ctx: BulkCtx) {
  bulkEdit(doc, ids, (id) => void deleteTask(doc, id, ctx))
}

/**
 * Toggling a member (assignee or label) on many tasks: added to all unless all already have
 * it, then removed from all — what a person means by picking it for a mixed selection.
 */
export function toggledMembers(
  current: ReadonlyArray<readonly string[]>,
  value: string,
): (list: readonly string[]) => string[] {
  const allHave = current.length > 0 && current.every((l) => l.includes(value))
  return (list) =>
    allHave ? list.filter((v) => v !== value) : list.includes(value) ? [...list] : [...list, value]
}
