import type { Comment, Task } from '@taskflow/api'
import type { CommentView, TaskSummary } from '@taskflow/board'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** A task of the board as the API shows it, with its description's plain text. */
export function toTask(s: TaskSummary, description: string): Task {
  return {
    id: s.id,
    title: s.title,
    description,
    columnId: s.columnId,
    position: s.order,
    priority: s.priority,
    startDate: s.startDate,
    dueDate: s.dueDate,
    estimate: s.estimate,
    assigneeIds: [...s.assigneeIds],
    labelIds: [...s.labelIds],
    checklist: { ...s.checklist },
    commentCount: s.commentCount,
    parentId: s.parentId,
    subtaskProgress: s.subtaskProgress && { ...s.subtaskProgress },
    createdAt: iso(s.createdAt),
    createdBy: s.createdBy,
    updatedAt: iso(s.updatedAt),
    completedAt: iso(s.completedAt),
    deletedAt: iso(s.deletedAt),
  }
}

/**
 * A comment; `authorId` is the user its Yjs client ID is bound to (unforgeable), falling
 * back to the id the writing client recorded for a comment from before bindings.
 */
export function toComment(c: CommentView, boundAuthor: string | undefined): Comment {
  return {
    id: c.id,
    taskId: c.taskId,
    body: c.body,
    authorId: boundAuthor ?? c.authorId,
    createdAt: iso(c.createdAt),
    editedAt: iso(c.editedAt),
    deletedAt: iso(c.deletedAt),
  }
}
