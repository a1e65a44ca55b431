import {
  ActivityPageSchema,
  type ActivityQuery,
  AuthorsResponseSchema,
  NotificationsPageSchema,
  type PreferencesPatch,
  PreferencesSchema,
  UnreadCountSchema,
  WatchingSchema,
} from '@taskflow/api'
import { apiRequest, NO_CONTENT } from './client'

/** Authors, activity, notifications and watching (docs/api.md); shapes from `@taskflow/api`. */
export {
  type ActivityEntry,
  type ActivityPage,
  type ClientAuthor,
  ClientAuthorSchema as clientAuthorSchema,
  type Notification,
  NotificationSchema as notificationSchema,
  type Preferences,
  TRIGGERS,
  type Trigger,
} from '@taskflow/api'

const projectPath = (id: string) => `/projects/${encodeURIComponent(id)}`

export const getAuthors = (projectId: string) =>
  apiRequest(`${projectPath(projectId)}/authors`, { schema: AuthorsResponseSchema }).then(
    (r) => r.authors,
  )

export function listActivity(
  projectId: string,
  opts: Omit<ActivityQuery, 'before' | 'limit'> & { before?: string | null; limit?: number } = {},
) {
  const q = new URLSearchParams()
  if (opts.taskId) q.set('taskId', opts.taskId)
  if (opts.userId) q.set('userId', opts.userId)
  if (opts.before) q.set('before', opts.before)
  if (opts.limit) q.set('limit', String(opts.limit))
  const qs = q.toString()
  return apiRequest(`${projectPath(projectId)}/activity${qs ? `?${qs}` : ''}`, {
    schema: ActivityPageSchema,
  })
}

export const listNotifications = (
  opts: { before?: string | null; limit?: number; unread?: boolean } = {},
) => {
  const q = new URLSearchParams()
  if (opts.unread) q.set('unread', 'true')
  if (opts.before) q.set('before', opts.before)
  q.set('limit', String(opts.limit ?? 20))
  return apiRequest(`/notifications?${q}`, { schema: NotificationsPageSchema })
}

export const getUnreadCount = () =>
  apiRequest('/notifications/unread-count', { schema: UnreadCountSchema }).then((r) => r.count)

export const markNotificationRead = (id: number) =>
  apiRequest(`/notifications/${id}/read`, { method: 'POST', schema: NO_CONTENT })

export const markAllNotificationsRead = () =>
  apiRequest('/notifications/read-all', { method: 'POST', schema: NO_CONTENT })

export const getPreferences = () =>
  apiRequest('/notifications/preferences', { schema: PreferencesSchema })

export const putPreferences = (patch: PreferencesPatch) =>
  apiRequest('/notifications/preferences', {
    method: 'PUT',
    body: patch,
    schema: PreferencesSchema,
  })

const watchPath = (projectId: string, taskId: string) =>
  `${projectPath(projectId)}/tasks/${encodeURIComponent(taskId)}/watch`

export const getWatching = (projectId: string, taskId: string) =>
  apiRequest(watchPath(projectId, taskId), { schema: WatchingSchema }).then((r) => r.watching)

export const setWatching = (projectId: string, taskId: string, watching: boolean) =>
  apiRequest(watchPath(projectId, taskId), {
    method: watching ? 'PUT' : 'DELETE',
    schema: WatchingSchema,
  }).then((r) => r.watching)
