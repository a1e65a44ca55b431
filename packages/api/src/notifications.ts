import { z } from 'zod'
import { CursorSchema } from './activity.js'
import { TimestampSchema } from './auth.js'

/** What can notify someone. Also the `kind` of a notification (due: `due_soon` | `overdue`). */
export const TRIGGERS = ['assigned', 'mentioned', 'comment', 'done', 'due', 'added'] as const
export type Trigger = (typeof TRIGGERS)[number]
export const EMAIL_MODES = ['immediate', 'digest'] as const
export type EmailMode = (typeof EMAIL_MODES)[number]

/** Query of `GET /api/v1/notifications`. */
export const NotificationsQuerySchema = z
  .object({
    unread: z.enum(['true', 'false']).optional(),
    before: CursorSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict()

/** Path of `/notifications/:id/read`. */
export const NotificationParamsSchema = z.object({ id: CursorSchema }).strict()

/** Path of `/projects/:id/tasks/:taskId/watch`. */

const ChannelPatch = z
  .object({ inApp: z.boolean().optional(), email: z.boolean().optional() })
  .strict()

/** `PUT /api/v1/notifications/preferences`: any part of the preferences. */
export const PreferencesPatchSchema = z
  .object({
    emailMode: z.enum(EMAIL_MODES).optional(),
    triggers: z.partialRecord(z.enum(TRIGGERS), ChannelPatch).optional(),
  })
  .strict()
export type PreferencesPatch = z.input<typeof PreferencesPatchSchema>

/** The unsubscribe link's signed token (`?token=`). */
export const UnsubscribeTokenSchema = z.string().min(10).max(400)

/** Query of `GET|POST /api/v1/notifications/unsubscribe`. */
export const UnsubscribeQuerySchema = z.object({ token: UnsubscribeTokenSchema })

const Channels = z.object({ inApp: z.boolean(), email: z.boolean() })

/** A user's notification preferences, whole. */
export const PreferencesSchema = z
  .object({
    emailMode: z.enum(EMAIL_MODES),
    triggers: z.record(z.enum(TRIGGERS), Channels),
  })
  .meta({ id: 'Preferences' })
export type Preferences = z.infer<typeof PreferencesSchema>

/** One notification (docs/api.md lists the kinds and their `data`). */
export const NotificationSchema = z
  .object({
    id: z.number().int(),
    kind: z.string(),
    projectId: z.uuid(),
    taskId: z.string().nullable(),
    /** Null for scheduler notifications (due soon, overdue). */
    actorId: z.string().nullable(),
    /** projectName, taskTitle, actorName, and per kind: excerpt, commentId, columnName, dueDate. */
    data: z.record(z.string(), z.unknown()),
    createdAt: TimestampSchema,
    readAt: TimestampSchema.nullable(),
    /** App path to open (the task, or the project). */
    link: z.string(),
  })
  .meta({ id: 'Notification' })
export type Notification = z.infer<typeof NotificationSchema>

/** `GET /api/v1/notifications`: newest first. */
export const NotificationsPageSchema = z.object({
  notifications: z.array(NotificationSchema),
  nextBefore: z.string().nullable(),
  unreadCount: z.number().int(),
})
export type NotificationsPage = z.infer<typeof NotificationsPageSchema>

/** `GET /api/v1/notifications/unread-count`. */
export const UnreadCountSchema = z.object({ count: z.number().int() })

/** `GET|PUT|DELETE /api/v1/projects/:id/tasks/:taskId/watch`. */
export const WatchingSchema = z.object({ watching: z.boolean() })
