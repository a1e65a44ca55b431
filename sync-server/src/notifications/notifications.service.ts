import { ERROR_CODES } from '@taskflow/api'
import type { Db } from '../db/database.js'
import { AppError } from '../http/app-error.js'
import { requireProjectRole } from '../projects/project-access.js'
import type { NotificationHub } from './notification-hub.js'
import { type NotificationView, toNotification } from './notifications.presenter.js'
import {
  countUnread,
  findWatching,
  followersOf,
  listNotifications,
  loadPreferences,
  markAllRead,
  markRead,
  saveEmailMode,
  savePreference,
  setWatching,
} from './notifications.repository.js'
import type { Notifier } from './notifier.js'
import {
  type EmailMode,
  type Preferences,
  resolvePreferences,
  type Trigger,
} from './preferences.js'
import type { UnsubscribeTokens } from './unsubscribe-tokens.js'

export interface NotificationsDeps {
  db: Db
  hub: NotificationHub
  notifier: Notifier
  tokens: UnsubscribeTokens
  now: () => number
}

export interface PreferencesPatch {
  emailMode?: EmailMode
  triggers?: Partial<Record<Trigger, { inApp?: boolean; email?: boolean }>>
}

export type NotificationsService = ReturnType<typeof createNotificationsService>

export function createNotificationsService(deps: NotificationsDeps) {
  const { db, hub, notifier, tokens, now } = deps

  async function requireTaskAccess(projectId: string, userId: string): Promise<void> {
    await requireProjectRole(db, projectId, userId, 'viewer')
  }

  return {
    hub,

    async list(
      userId: string,
      q: { unread: boolean; before?: number; limit: number },
    ): Promise<{
      notifications: NotificationView[]
      nextBefore: string | null
      unreadCount: number
    }> {
      const rows = await listNotifications(db, userId, { ...q, limit: q.limit + 1 })
      const page = rows.slice(0, q.limit)
      return {
        notifications: page.map(toNotification),
        nextBefore: rows.length > q.limit ? String(page.at(-1)!.id) : null,
        unreadCount: await countUnread(db, userId),
      }
    },

    unreadCount: (userId: string) => countUnread(db, userId),

    async markRead(userId: string, id: number): Promise<void> {
      if (!(await markRead(db, userId, id, now()))) {
        throw new AppError(404, ERROR_CODES.notFound, 'Notification not found')
      }
      await notifier.pushUnread(userId)
    },

    async markAllRead(userId: string): Promise<void> {
      await markAllRead(db, userId, now())
      await notifier.pushUnread(userId)
    },

    async preferences(userId: string): Promise<Preferences> {
      return resolvePreferences(await loadPreferences(db, userId))
    },

    async updatePreferences(userId: string, patch: PreferencesPatch): Promise<Preferences> {
      await db.transaction().execute(async (trx) => {
        const current = resolvePreferences(await loadPreferences(trx, userId))
        for (const [t, v] of Object.entries(patch.triggers ?? {})) {
          const was = current.triggers[t as Trigger]
          await savePreference(trx, userId, t, v?.inApp ?? was.inApp, v?.email ?? was.email)
        }
        if (patch.emailMode) await saveEmailMode(trx, userId, patch.emailMode)
      })
      return resolvePreferences(await loadPreferences(db, userId))
    },

    /** Public, by signed token: turns off e-mail for one trigger. */
    async unsubscribe(token: string): Promise<{ trigger: Trigger }> {
      const found = await tokens.verify(token)
      if (!found) throw new AppError(400, ERROR_CODES.badRequest, 'Invalid unsubscribe link')
      const user = await db
        .selectFrom('users')
        .select('id')
        .where('id', '=', found.userId)
        .executeTakeFirst()
      if (!user) throw new AppError(400, ERROR_CODES.badRequest, 'Invalid unsubscribe link')
      const p = resolvePreferences(await loadPreferences(db, found.userId))
      await savePreference(db, found.userId, found.trigger, p.triggers[found.trigger].inApp, false)
      return { trigger: found.trigger }
    },

    async watching(projectId: string, taskId: string, userId: string): Promise<boolean> {
      await requireTaskAccess(projectId, userId)
      const explicit = await findWatching(db, projectId, taskId, userId)
      return explicit ?? (await followersOf(db, projectId, taskId)).includes(userId)
    },

    async setWatching(
      projectId: string,
      taskId: string,
      userId: string,
      watching: boolean,
    ): Promise<void> {
      await requireTaskAccess(projectId, userId)
      await setWatching(db, projectId, taskId, userId, watching, now())
    },

    /** Someone added `userId` to a project (never called for joining by one's own link). */
    async memberAdded(input: {
      projectId: string
      projectName: string
      userId: string
      actor: { id: string; name: string }
      at: number
    }): Promise<void> {
      const ids = await db.transaction().execute((trx) =>
        notifier.insert(trx, [
          {
            userId: input.userId,
            projectId: input.projectId,
            taskId: null,
            kind: 'added',
            actorId: input.actor.id,
            eventKey: `added:${input.projectId}:${input.at}`,
            data: { projectName: input.projectName, actorName: input.actor.name },
            at: input.at,
          },
        ]),
      )
      notifier.published(ids)
    },
  }
}
