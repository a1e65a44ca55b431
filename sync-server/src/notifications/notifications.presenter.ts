import type { NotificationRow } from './notifications.repository.js'

export interface NotificationView {
  id: number
  kind: string
  projectId: string
  taskId: string | null
  actorId: string | null
  /** projectName, taskTitle, actorName, and per kind: excerpt, commentId, columnName, dueDate. */
  data: Record<string, unknown>
  createdAt: string
  readAt: string | null
  /** App path to open (the task, or the project). */
  link: string
}

export function appPath(projectId: string, taskId: string | null): string {
  return taskId ? `/projects/${projectId}/tasks/${taskId}` : `/projects/${projectId}`
}

export function toNotification(r: NotificationRow): NotificationView {
  return {
    id: r.id,
    kind: r.kind,
    projectId: r.project_id,
    taskId: r.task_id,
    actorId: r.actor_id,
    data: JSON.parse(r.data),
    createdAt: new Date(r.created_at).toISOString(),
    readAt: r.read_at === null ? null : new Date(r.read_at).toISOString(),
    link: appPath(r.project_id, r.task_id),
  }
}
