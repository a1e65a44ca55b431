import { z } from 'zod'
import { apiRequest } from './client'

/** Authors, activity, notifications and watching (docs/api.md). Lenient like schemas.ts. */
const projectPath = (id: string) => `/projects/${encodeURIComponent(id)}`

export const clientAuthorSchema = z.object({
  clientId: z.number(),
  userId: z.string(),
  name: z.string().catch(''),
})
export type ClientAuthor = z.infer<typeof clientAuthorSchema>

export const getAuthors = (projectId: string) =>
  apiRequest(`${projectPath(projectId)}/authors`, {
    schema: z.object({ authors: z.array(clientAuthorSchema) }).transform((r) => r.authors),
  })

export const activityEntrySchema = z.object({
  id: z.union([z.number(), z.string()]),
  taskId: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  kind: z.string(),
  subject: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  userId: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  userName: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
  at: z.string(),
  lastAt: z.string().nullish(),
  data: z.record(z.string(), z.unknown()).catch({}),
})
export type ActivityEntry = z.infer<typeof activityEntrySchema>

const activityPageSchema = z.object({
  entries: z.array(activityEntrySchema),
  nextBefore: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
})
export type ActivityPage = z.infer<typeof activityPageSchema>

export function listActivity(
  projectId: string,
  opts: { taskId?: string; userId?: string; before?: string | null; limit?: number } = {},
): Promise<ActivityPage> {
  const q = new URLSearchParams()
  if (opts.taskId) q.set('taskId', opts.taskId)
  if (opts.userId) q.set('userId', opts.userId)
  if (opts.before) q.set('before', opts.before)
  if (opts.limit) q.set('limit', String(opts.limit))
  const qs = q.toString()
  return apiRequest(`${projectPath(projectId)}/activity${qs ? `?${qs}` : ''}`, {
    schema: activityPageSchema,
  })
}

export const notificationSchema = z.object({
  id: z.union([z.number(), z.string()]).transform(String),
  kind: z.string(),
  projectId: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  taskId: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  actorId: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  data: z.record(z.string(), z.unknown()).catch({}),
  createdAt: z.string(),
  readAt: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
  link: z
    .string()
    .nullish()
    .transform((v) => v ?? null),
})
export type Notification = z.infer<typeof notificationSchema>

export const listNotifications = (
  opts: { before?: string | null; limit?: number; unread?: boolean } = {},
) => {
  const q = new URLSearchParams()
  if (opts.unread) q.set('unread', 'true')
  if (opts.before) q.set('before', opts.before)
  q.set('limit', String(opts.limit ?? 20))
  return apiRequest(`/notifications?${q}`, {
    schema: z.object({
      notifications: z.array(notificationSchema),
      nextBefore: z
        .string()
        .nullish()
        .transform((v) => v ?? null),
      unreadCount: z.number(),
    }),
  })
}

export const getUnreadCount = () =>
  apiRequest('/notifications/unread-count', {
    schema: z.object({ count: z.number() }).transform((r) => r.count),
  })

export const markNotificationRead = (id: string) =>
  apiRequest(`/notifications/${encodeURIComponent(id)}/read`, {
    method: 'POST',
    schema: z.unknown(),
  })

export const markAllNotificationsRead = () =>
  apiRequest('/notifications/read-all', { method: 'POST', schema: z.unknown() })

export const TRIGGERS = ['assigned', 'mentioned', 'comment', 'done', 'due', 'added'] as const
export type Trigger = (typeof TRIGGERS)[number]
const channelsSchema = z.object({ inApp: z.boolean(), email: z.boolean() })
export const preferencesSchema = z.object({
  emailMode: z.enum(['immediate', 'digest']),
  triggers: z.record(z.string(), channelsSchema),
})
export type Preferences = z.infer<typeof preferencesSchema>

export const getPreferences = () =>
  apiRequest('/notifications/preferences', { schema: preferencesSchema })

export const putPreferences = (patch: {
  emailMode?: 'immediate' | 'digest'
  triggers?: Partial<Record<Trigger, Partial<{ inApp: boolean; email: boolean }>>>
}) =>
  apiRequest('/notifications/preferences', {
    method: 'PUT',
    body: patch,
    schema: preferencesSchema,
  })

const watchPath = (projectId: string, taskId: string) =>
  `${projectPath(projectId)}/tasks/${encodeURIComponent(taskId)}/watch`
const watchingSchema = z.object({ watching: z.boolean() }).transform((r) => r.watching)

export const getWatching = (projectId: string, taskId: string) =>
  apiRequest(watchPath(projectId, taskId), { schema: watchingSchema })

export const setWatching = (projectId: string, taskId: string, watching: boolean) =>
  apiRequest(watchPath(projectId, taskId), {
    method: watching ? 'PUT' : 'DELETE',
    schema: watchingSchema,
  })
