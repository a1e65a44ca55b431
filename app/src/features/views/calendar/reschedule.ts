import { updateTask } from '@taskflow/board'
import type * as Y from 'yjs'
import { undoManagerOf } from '../../board/undo'
import type { TaskDates } from './date-math'

/**
 * Writes a task's new dates as one undo step of its own. The undo manager merges edits made
 * within 400 ms (typing); two drops in quick succession are two reschedules, so capturing
 * is closed before and after this one.
 */
export function rescheduleTask(doc: Y.Doc, taskId: string, dates: TaskDates, userId: string) {
  const um = undoManagerOf(doc)
  um.stopCapturing()
  const r = updateTask(doc, taskId, dates, { userId })
  um.stopCapturing()
  return r
}
