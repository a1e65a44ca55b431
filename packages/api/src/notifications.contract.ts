import {
  NotificationParamsSchema,
  NotificationsPageSchema,
  NotificationsQuerySchema,
  PreferencesPatchSchema,
  PreferencesSchema,
  UnreadCountSchema,
  UnsubscribeQuerySchema,
  WatchingSchema,
} from './notifications.js'
import { defineRoute } from './registry.js'
import { TaskParamsSchema } from './tasks.js'

const tag = 'Notifications'
const noContent = { description: 'Done; no body' }
const watchErrors = { 403: 'Not a member', 404: 'Unknown project' }
const page = (description: string) => ({ description, contentType: 'text/html' })

/** Notifications, their preferences and live stream, unsubscribe links, and watching tasks. */
export const NOTIFICATION_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/notifications',
    tag,
    auth: 'session',
    summary: 'My notifications, newest first',
    query: NotificationsQuerySchema,
    responses: { 200: NotificationsPageSchema },
  }),
  defineRoute({
    method: 'get',
    path: '/notifications/unread-count',
    tag,
    auth: 'session',
    summary: 'How many of my notifications are unread',
    responses: { 200: UnreadCountSchema },
  }),
  defineRoute({
    method: 'post',
    path: '/notifications/read-all',
    tag,
    auth: 'session',
    summary: 'Mark all my notifications read',
    responses: { 204: noContent },
  }),
  defineRoute({
    method: 'post',
    path: '/notifications/:id/read',
    tag,
    auth: 'session',
    summary: 'Mark one notification read',
    params: NotificationParamsSchema,
    responses: { 204: noContent },
    errors: { 404: 'Not one of my notifications' },
  }),
  defineRoute({
    method: 'get',
    path: '/notifications/preferences',
    tag,
    auth: 'session',
    summary: 'My notification preferences',
    responses: { 200: PreferencesSchema },
  }),
  defineRoute({
    method: 'put',
    path: '/notifications/preferences',
    tag,
    auth: 'session',
    summary: 'Change any part of my notification preferences',
    body: PreferencesPatchSchema,
    responses: { 200: PreferencesSchema },
  }),
  ...(['get', 'post'] as const).map((method) =>
    defineRoute({
      method,
      path: '/notifications/unsubscribe',
      tag,
      auth: 'none',
      access: 'whoever holds the signed link',
      summary:
        method === 'get'
          ? 'Show what an unsubscribe link would do (changes nothing)'
          : 'Turn e-mail off for the link’s trigger (any body, incl. RFC 8058 one-click)',
      query: UnsubscribeQuerySchema,
      responses: {
        200: page('Confirmation, done, or already unsubscribed'),
        400: page('Invalid unsubscribe link'),
        410: page('Preferences changed since the mail was sent'),
      },
    }),
  ),
  defineRoute({
    method: 'get',
    path: '/notifications/stream',
    tag,
    auth: 'session',
    summary: 'Live notifications (Server-Sent Events)',
    description:
      'Events: `unread` `{ count }` at once and after every change, `notification` with a Notification. A `: ping` comment every 25 s.',
    responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' } },
  }),
  ...(
    [
      ['get', 'Whether I watch a task'],
      ['put', 'Watch a task'],
      ['delete', 'Stop watching a task'],
    ] as const
  ).map(([method, summary]) =>
    defineRoute({
      method,
      path: '/projects/:id/tasks/:taskId/watch',
      tag,
      auth: 'token',
      access: 'viewer or higher',
      summary,
      params: TaskParamsSchema,
      responses: { 200: WatchingSchema },
      errors: watchErrors,
    }),
  ),
]
