import { ERROR_CODES } from '@taskflow/api'
import type { Db } from '../db/database.js'
import { AppError } from '../http/app-error.js'
import type { NotificationHub } from './notification-hub.js'
import { type NotificationView, toNotification } from './notifications.presenter.js'
import {
  bumpPreferencesVersion,
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
  preferencesVersion,
  resolvePreferences,
  TRIGGERS,
  type Trigger,
} from './preferences.js'
import type { UnsubscribeScope, UnsubscribeTokens } from './unsubscribe-tokens.js'

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

/** What an unsubscribe link does or did; never an error (it is a page for a person). */
export type UnsubscribeOutcome =
  /** Not one of our links, from before links were versioned, or the account is gone. */
  | { status: 'invalid' }
  /** Preferences changed since the mail was sent (possibly by another unsubscribe). */
  | { status: 'stale'; scope: UnsubscribeScope }
  /** Nothing to do: e-mail for the scope is off already. */
  | { status: 'already'; scope: UnsubscribeScope }
  /** GET: the link would turn e-mail off. */
  | { status: 'valid'; scope: UnsubscribeScope }
  /** POST: e-mail for the scope is now off. */
  | { status: 'unsubscribed'; scope: UnsubscribeScope }

export type NotificationsService = ReturnType<typeof createNotificationsService>

export function createNotificationsService(deps: NotificationsDeps) {
  const { db, hub, notifier, tokens, now } = deps

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
        // Unsubscribe links sent before this change must not undo it.
        await bumpPreferencesVersion(trx, userId)
      })
      return resolvePreferences(await loadPreferences(db, userId))
    },

    /**
     * Public, by signed token: what an unsubscribe link does. With `apply` (POST, one-click)
     * it turns e-mail off for the link's scope and retires every older link; without (GET,
     * which mail scanners follow) it only reports what it would do.
     */
    async unsubscribe(token: string, opts: { apply: boolean }): Promise<UnsubscribeOutcome> {
      const claim = await tokens.verify(token)
      if (!claim) return { status: 'invalid' }
      return db.transaction().execute(async (trx) => {
        const user = await trx
          .selectFrom('users')
          .select('id')
          .where('id', '=', claim.userId)
          .executeTakeFirst()
        if (!user) return { status: 'invalid' }
        const stored = await loadPreferences(trx, claim.userId)
        const p = resolvePreferences(stored)
        const scope = claim.scope
        const triggers = scope === 'all' ? TRIGGERS : [scope]
        if (triggers.every((t) => !p.triggers[t].email)) return { status: 'already', scope }
        if (preferencesVersion(stored) !== claim.version) return { status: 'stale', scope }
        if (!opts.apply) return { status: 'valid', scope }
        for (const t of triggers)
          await savePreference(trx, claim.userId, t, p.triggers[t].inApp, false)
        await bumpPreferencesVersion(trx, claim.userId)
        return { status: 'unsubscribed', scope }
      })
    },

    async watching(projectId: string, taskId: string, userId: string): Promise<boolean> {
      const explicit = await findWatching(db, projectId, taskId, userId)
      return explicit ?? (await followersOf(db, projectId, taskId)).includes(userId)
    },

    async setWatching(
      projectId: string,
      taskId: string,
      userId: string,
      watching: boolean,
    ): Promise<void> {
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
