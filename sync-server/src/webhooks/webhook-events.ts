import type { WebhookEventType } from '@taskflow/api'
import type { BoardEvent } from '../activity/board-events.js'

/** One event for the outbox: its type, idempotency key, time and `data`. */
export interface OutboxEvent {
  type: WebhookEventType
  /** Unique per event (from the update's seq), so a replay queues nothing twice. */
  key: string
  at: number
  data: Record<string, unknown>
}

/**
 * Turns the board events of persisted updates into webhook events. Field changes of one task
 * in one update become one `task.updated` with every changed field; a move into a column of
 * the `done` category is also a `task.completed`. Events with no webhook counterpart
 * (restores, checklist ticks are updates; replaced moves and mention-only edits are not
 * sent) are left out.
 */
export function webhookEventsOf(projectId: string, events: readonly BoardEvent[]): OutboxEvent[] {
  const out: OutboxEvent[] = []
  const updates = new Map<string, OutboxEvent & { data: { changes: Record<string, unknown> } }>()
  for (const e of events) {
    const task = { projectId, taskId: e.taskId, title: e.title, actorId: e.userId }
    const key = `${e.seq}:${e.taskId}`
    const update = () => {
      let u = updates.get(key)
      if (!u) {
        u = {
          type: 'task.updated',
          key: `task.updated:${key}`,
          at: e.at,
          data: { ...task, changes: {} },
        }
        updates.set(key, u)
        out.push(u)
      }
      u.data.title = e.title
      return u.data.changes
    }
    switch (e.kind) {
      case 'task_created':
        out.push({
          type: 'task.created',
          key: `task.created:${key}`,
          at: e.at,
          data: {
            ...task,
            columnId: e.data.columnId,
            columnName: e.data.columnName,
            assigneeIds: e.data.assigneeIds,
          },
        })
        break
      case 'task_moved':
        out.push({
          type: 'task.moved',
          key: `task.moved:${key}`,
          at: e.at,
          data: {
            ...task,
            fromColumnId: e.data.fromColumnId,
            fromColumnName: e.data.fromColumnName,
            toColumnId: e.data.toColumnId,
            toColumnName: e.data.toColumnName,
          },
        })
        if (e.data.toCategory === 'done') {
          out.push({
            type: 'task.completed',
            key: `task.completed:${key}`,
            at: e.at,
            data: { ...task, columnId: e.data.toColumnId, columnName: e.data.toColumnName },
          })
        }
        break
      case 'field_changed': {
        const d = e.data
        // Mentions in a new task's description belong to its creation.
        if (d.field === 'description' && d.initial) break
        const changes = update()
        if (d.field === 'description') changes.description = { changed: true }
        else if (d.field === 'assignees') changes.assignees = { added: d.added, removed: d.removed }
        else if (d.field === 'labels') changes.labels = { added: d.added, removed: d.removed }
        else changes[d.field] = { from: d.from, to: d.to }
        break
      }
      case 'checklist_item_done':
      case 'checklist_item_undone': {
        const changes = update()
        const items = (changes.checklist ?? []) as unknown[]
        items.push({
          itemId: e.data.itemId,
          text: e.data.text,
          done: e.kind === 'checklist_item_done',
        })
        changes.checklist = items
        break
      }
      case 'task_deleted':
        out.push({ type: 'task.deleted', key: `task.deleted:${key}`, at: e.at, data: task })
        break
      case 'comment_added':
        out.push({
          type: 'comment.created',
          key: `comment.created:${key}:${e.data.commentId}`,
          at: e.at,
          data: {
            projectId,
            taskId: e.taskId,
            taskTitle: e.title,
            commentId: e.data.commentId,
            excerpt: e.data.excerpt,
            actorId: e.userId,
          },
        })
        break
      default:
        break
    }
  }
  return out
}
