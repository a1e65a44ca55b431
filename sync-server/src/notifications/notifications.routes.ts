import {
  NoQuerySchema,
  NotificationParamsSchema,
  NotificationsQuerySchema,
  PreferencesPatchSchema,
  TaskParamsSchema,
  UnsubscribeTokenSchema,
} from '@taskflow/api'
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { type AuthEnv, bearerToken, requireAuth, sessionOf } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import type { Db } from '../db/database.js'
import { validate } from '../http/validate.js'
import { projectRoles } from '../projects/require-role.js'
import type { HubMessage } from './notification-hub.js'
import type { NotificationsService } from './notifications.service.js'
import { unsubscribePage } from './unsubscribe-pages.js'

/** Heartbeat comment on idle streams, so proxies keep them open. */
const HEARTBEAT_MS = 25_000

/** Notification endpoints under `/api/v1`. */
export function notificationsRoutes(
  auth: AuthService,
  service: NotificationsService,
  now: () => number,
  db: Db,
): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const signedIn = requireAuth(auth)
  const viewer = projectRoles(db)('viewer')
  // Routes without query parameters reject any (docs/api.md), like every other route.
  const noQuery = validate('query', NoQuerySchema)

  app.get('/notifications', signedIn, validate('query', NotificationsQuerySchema), async (c) => {
    const q = c.req.valid('query')
    return c.json(
      await service.list(c.var.user.id, {
        unread: q.unread === 'true',
        before: q.before === undefined ? undefined : Number(q.before),
        limit: q.limit ?? 50,
      }),
    )
  })

  app.get('/notifications/unread-count', signedIn, validate('query', NoQuerySchema), async (c) =>
    c.json({ count: await service.unreadCount(c.var.user.id) }),
  )

  app.post('/notifications/read-all', signedIn, noQuery, async (c) => {
    await service.markAllRead(c.var.user.id)
    return c.body(null, 204)
  })

  app.post(
    '/notifications/:id/read',
    signedIn,
    noQuery,
    validate('param', NotificationParamsSchema),
    async (c) => {
      await service.markRead(c.var.user.id, Number(c.req.valid('param').id))
      return c.body(null, 204)
    },
  )

  app.get('/notifications/preferences', signedIn, validate('query', NoQuerySchema), async (c) =>
    c.json(await service.preferences(c.var.user.id)),
  )

  app.put(
    '/notifications/preferences',
    signedIn,
    noQuery,
    validate('json', PreferencesPatchSchema),
    async (c) => c.json(await service.updatePreferences(c.var.user.id, c.req.valid('json'))),
  )

  // Public: the signed token is the credential, and the answer is a page for a person.
  // GET only shows what the link would do (mail scanners follow links); POST does it, from
  // the page's button or as an RFC 8058 one-click request (`List-Unsubscribe=One-Click`).
  for (const method of ['get', 'post'] as const) {
    app[method]('/notifications/unsubscribe', async (c) => {
      const token = UnsubscribeTokenSchema.safeParse(c.req.query('token'))
      const outcome = token.success
        ? await service.unsubscribe(token.data, { apply: method === 'post' })
        : ({ status: 'invalid' } as const)
      const postUrl = `/api/v1/notifications/unsubscribe?token=${encodeURIComponent(token.data ?? '')}`
      const { status, html } = unsubscribePage(outcome, postUrl)
      c.header('Cache-Control', 'no-store')
      c.header('X-Robots-Tag', 'noindex')
      return c.html(html, status)
    })
  }

  app.get('/notifications/stream', signedIn, validate('query', NoQuerySchema), (c) => {
    // Session-only, like sync sockets: the stream lives as long as the app's sign-in does.
    const { user } = c.var
    const session = sessionOf(c)
    // requireAuth accepted it, so it is there; kept to re-check the session while streaming.
    const token = bearerToken(c.req.header('authorization'))!
    const stillSignedIn = async () => (await auth.authenticate(token))?.session.id === session.id
    const expired = () => session.expires_at <= now()
    return streamSSE(c, async (stream) => {
      const queue: HubMessage[] = []
      let wake: (() => void) | undefined
      let open = true
      const off = service.hub.subscribe({
        userId: user.id,
        sessionId: session.id,
        stillSignedIn,
        deliver: (m) => {
          queue.push(m)
          wake?.()
        },
      })
      stream.onAbort(() => {
        open = false
        wake?.()
      })
      try {
        const count = await service.unreadCount(user.id)
        await stream.writeSSE({ event: 'unread', data: JSON.stringify({ count }) })
        while (open) {
          if (queue.length === 0) {
            // Wake for the heartbeat, or at the session's expiry if that comes first.
            const wait = Math.max(0, Math.min(HEARTBEAT_MS, session.expires_at - now()))
            let timer: NodeJS.Timeout | undefined
            await new Promise<void>((resolve) => {
              wake = resolve
              timer = setTimeout(resolve, wait)
            })
            clearTimeout(timer)
            wake = undefined
            if (queue.length === 0 && open) {
              // Also catches sessions ended without a hub call (e.g. deleted in SQL).
              if (expired() || !(await stillSignedIn())) break
              await stream.write(': ping\n\n')
            }
          }
          for (let m = queue.shift(); m && open; m = queue.shift()) {
            // An expired session gets nothing more, even if no timer has fired yet.
            if (m.type === 'close' || expired()) {
              open = false
              break
            }
            const data = m.type === 'unread' ? { count: m.count } : m.notification
            await stream.writeSSE({ event: m.type, data: JSON.stringify(data) })
          }
        }
      } finally {
        off()
      }
    })
  })

  app.get(
    '/projects/:id/tasks/:taskId/watch',
    signedIn,
    noQuery,
    validate('param', TaskParamsSchema),
    viewer,
    async (c) => {
      const { id, taskId } = c.req.valid('param')
      return c.json({ watching: await service.watching(id, taskId, c.var.user.id) })
    },
  )

  app.put(
    '/projects/:id/tasks/:taskId/watch',
    signedIn,
    noQuery,
    validate('param', TaskParamsSchema),
    viewer,
    async (c) => {
      const { id, taskId } = c.req.valid('param')
      await service.setWatching(id, taskId, c.var.user.id, true)
      return c.json({ watching: true })
    },
  )

  app.delete(
    '/projects/:id/tasks/:taskId/watch',
    signedIn,
    noQuery,
    validate('param', TaskParamsSchema),
    viewer,
    async (c) => {
      const { id, taskId } = c.req.valid('param')
      await service.setWatching(id, taskId, c.var.user.id, false)
      return c.json({ watching: false })
    },
  )

  return app
}
