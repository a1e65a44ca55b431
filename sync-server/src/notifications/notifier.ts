import type { Transaction } from 'kysely'
import type { Db } from '../db/database.js'
import type { Database } from '../db/schema.js'
import type { Logger } from '../logger.js'
import type { Mailer } from '../mail/mailer.js'
import type { NotificationHub } from './notification-hub.js'
import { digestMail, immediateMail } from './notification-mail.js'
import { toNotification } from './notifications.presenter.js'
import {
  countUnread,
  digestEmails,
  findNotifications,
  insertNotification,
  loadPreferences,
  type NotificationRow,
  pendingEmails,
  setEmailState,
  setLastDigestAt,
} from './notifications.repository.js'
import {
  type Preferences,
  preferencesVersion,
  resolvePreferences,
  type Trigger,
  triggerOf,
} from './preferences.js'
import type { UnsubscribeScope, UnsubscribeTokens } from './unsubscribe-tokens.js'

type Q = Db | Transaction<Database>

/** A notification to create, before preferences are applied. */
export interface Draft {
  userId: string
  projectId: string
  taskId: string | null
  kind: string
  /** Who caused it (never notified about it); null for the scheduler. */
  actorId: string | null
  /** Unique per recipient and event: update seq/task/comment, due date, membership. */
  eventKey: string
  data: Record<string, unknown>
  at: number
}

export interface NotifierOptions {
  db: Db
  hub: NotificationHub
  mailer: Mailer
  tokens: UnsubscribeTokens
  logger: Logger
  publicUrl: string
  /** Hour (UTC) at which the daily digest goes out. */
  digestHourUtc: number
}

const DAY = 86_400_000

/**
 * Creates notifications (idempotently: one per recipient and event key), pushes them to
 * open streams and sends their e-mail, at once or in the daily digest, per preferences.
 */
export class Notifier {
  #mailChain: Promise<void> = Promise.resolve()
  /** Live pushes and mail started by `published`, until they finish. */
  readonly #publishing = new Set<Promise<void>>()

  constructor(private readonly opts: NotifierOptions) {}

  /** Resolves once every push and e-mail started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#publishing.size > 0) await Promise.all([...this.#publishing])
    await this.#mailChain
  }

  /**
   * Inserts drafts (call inside the caller's transaction). Skips the actor, duplicates and
   * recipients who turned both channels off. Returns the ids of new rows.
   */
  async insert(trx: Q, drafts: readonly Draft[]): Promise<number[]> {
    const prefs = new Map<string, Preferences>()
    const ids: number[] = []
    for (const d of drafts) {
      if (d.userId === d.actorId) continue
      let p = prefs.get(d.userId)
      if (!p) {
        p = resolvePreferences(await loadPreferences(trx, d.userId))
        prefs.set(d.userId, p)
      }
      const channel = p.triggers[triggerOf(d.kind)]
      if (!channel.inApp && !channel.email) continue
      const id = await insertNotification(trx, {
        user_id: d.userId,
        project_id: d.projectId,
        task_id: d.taskId,
        kind: d.kind,
        actor_id: d.actorId,
        event_key: d.eventKey,
        data: JSON.stringify(d.data),
        created_at: d.at,
        read_at: null,
        in_app: channel.inApp ? 1 : 0,
        email_state: !channel.email ? 'none' : p.emailMode === 'digest' ? 'digest' : 'pending',
      })
      if (id !== undefined) ids.push(id)
    }
    return ids
  }

  /** After the inserting transaction committed: live push and immediate mail. Never throws. */
  published(ids: readonly number[]): void {
    if (ids.length === 0) return
    const work = (async () => {
      const rows = await findNotifications(this.opts.db, ids)
      const users = new Set<string>()
      for (const r of rows) {
        if (r.in_app !== 1) continue
        users.add(r.user_id)
        this.opts.hub.publish(r.user_id, { type: 'notification', notification: toNotification(r) })
      }
      for (const u of users) await this.pushUnread(u)
      if (rows.some((r) => r.email_state === 'pending')) await this.deliverPending()
    })().catch((err) =>
      this.opts.logger.error('publishing notifications failed', { err: String(err) }),
    )
    this.#publishing.add(work)
    void work.then(() => this.#publishing.delete(work))
  }

  /** Sends the current unread count to the user's open streams. */
  async pushUnread(userId: string): Promise<void> {
    if (!this.opts.hub.hasListeners(userId)) return
    this.opts.hub.publish(userId, {
      type: 'unread',
      count: await countUnread(this.opts.db, userId),
    })
  }

  /** Sends every pending immediate e-mail, one run at a time. Never rejects. */
  deliverPending(): Promise<void> {
    this.#mailChain = this.#mailChain
      .then(async () => {
        for (;;) {
          const rows = await pendingEmails(this.opts.db, 100)
          if (rows.length === 0) return
          for (const r of rows) {
            const to = await this.#address(r.user_id)
            if (to) {
              const unsub = await this.#unsubscribeUrl(r.user_id, triggerOf(r.kind))
              await this.opts.mailer.send(immediateMail(to, r, this.opts.publicUrl, unsub))
            }
            await setEmailState(this.opts.db, [r.id], 'sent')
          }
        }
      })
      .catch((err) => this.opts.logger.error('notification mail failed', { err: String(err) }))
    return this.#mailChain
  }

  /**
   * Sends each user's daily digest once the digest hour of the day has passed: everything
   * waiting that was created before that hour. Never rejects.
   */
  sendDigests(now: number): Promise<void> {
    const day = Math.floor(now / DAY) * DAY
    const cutoff = day + this.opts.digestHourUtc * 3_600_000
    if (now < cutoff) return this.#mailChain
    this.#mailChain = this.#mailChain
      .then(async () => {
        const rows = await digestEmails(this.opts.db, cutoff)
        const byUser = new Map<string, NotificationRow[]>()
        for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r])
        for (const [userId, list] of byUser) {
          const to = await this.#address(userId)
          if (to) {
            const triggers = new Map<Trigger, string>()
            for (const r of list) {
              const t = triggerOf(r.kind)
              if (!triggers.has(t)) triggers.set(t, await this.#unsubscribeUrl(userId, t))
            }
            // The digest as a whole (List-Unsubscribe): stop all notification e-mail.
            const all = await this.#unsubscribeUrl(userId, 'all')
            await this.opts.mailer.send(digestMail(to, list, this.opts.publicUrl, triggers, all))
          }
          await this.opts.db.transaction().execute(async (trx) => {
            await setEmailState(
              trx,
              list.map((r) => r.id),
              'sent',
            )
            await setLastDigestAt(trx, userId, now)
          })
        }
      })
      .catch((err) => this.opts.logger.error('notification digest failed', { err: String(err) }))
    return this.#mailChain
  }

  async #address(userId: string): Promise<string | undefined> {
    const u = await this.opts.db
      .selectFrom('users')
      .select('email')
      .where('id', '=', userId)
      .executeTakeFirst()
    return u?.email
  }

  /** A link valid until the user's next preference change (or unsubscribe). */
  async #unsubscribeUrl(userId: string, scope: UnsubscribeScope): Promise<string> {
    const version = preferencesVersion(await loadPreferences(this.opts.db, userId))
    const token = await this.opts.tokens.create({ userId, scope, version })
    return `${this.opts.publicUrl}/api/v1/notifications/unsubscribe?token=${token}`
  }
}
