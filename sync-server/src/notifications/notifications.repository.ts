import type { Insertable, Kysely, Selectable, Transaction } from 'kysely'
import type { Database, NotificationsTable } from '../db/schema.js'

type Q = Kysely<Database> | Transaction<Database>
export type NotificationRow = Selectable<NotificationsTable>
export type NewNotification = Insertable<NotificationsTable>

/** Inserts unless (user, event_key) exists; returns the id of a new row, else undefined. */
export async function insertNotification(db: Q, row: NewNotification): Promise<number | undefined> {
  const r = await db
    .insertInto('notifications')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'event_key']).doNothing())
    .returning('id')
    .executeTakeFirst()
  return r?.id
}

export async function listNotifications(
  db: Q,
  userId: string,
  f: { unread: boolean; before?: number; limit: number },
): Promise<NotificationRow[]> {
  let q = db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', userId)
    .where('in_app', '=', 1)
  if (f.unread) q = q.where('read_at', 'is', null)
  if (f.before !== undefined) q = q.where('id', '<', f.before)
  return q.orderBy('id', 'desc').limit(f.limit).execute()
}

export async function findNotifications(db: Q, ids: readonly number[]): Promise<NotificationRow[]> {
  if (ids.length === 0) return []
  return db.selectFrom('notifications').selectAll().where('id', 'in', ids).orderBy('id').execute()
}

export async function countUnread(db: Q, userId: string): Promise<number> {
  const r = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('in_app', '=', 1)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

/** Marks one of the user's notifications read; false if it is not theirs. */
export async function markRead(db: Q, userId: string, id: number, at: number): Promise<boolean> {
  const found = await db
    .selectFrom('notifications')
    .select(['id', 'read_at'])
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('in_app', '=', 1)
    .executeTakeFirst()
  if (!found) return false
  if (found.read_at === null) {
    await db.updateTable('notifications').set({ read_at: at }).where('id', '=', id).execute()
  }
  return true
}

export async function markAllRead(db: Q, userId: string, at: number): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ read_at: at })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .execute()
}

export async function setEmailState(
  db: Q,
  ids: readonly number[],
  state: NotificationRow['email_state'],
): Promise<void> {
  if (ids.length === 0) return
  await db.updateTable('notifications').set({ email_state: state }).where('id', 'in', ids).execute()
}

export async function pendingEmails(db: Q, limit: number): Promise<NotificationRow[]> {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('email_state', '=', 'pending')
    .orderBy('id')
    .limit(limit)
    .execute()
}

/** Digest items created before `before`, of every user, oldest first. */
export async function digestEmails(db: Q, before: number): Promise<NotificationRow[]> {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('email_state', '=', 'digest')
    .where('created_at', '<', before)
    .orderBy('user_id')
    .orderBy('id')
    .execute()
}

// --- watchers ---------------------------------------------------------------------------

/** Default watch (creator, assignee): never overrides an explicit choice. */
export async function watchByDefault(
  db: Q,
  projectId: string,
  taskId: string,
  userId: string,
  at: number,
): Promise<void> {
  await db
    .insertInto('task_watchers')
    .values({
      project_id: projectId,
      task_id: taskId,
      user_id: userId,
      watching: 1,
      updated_at: at,
    })
    .onConflict((oc) => oc.doNothing())
    .execute()
}

/** `watchByDefault` for many tasks and users at once (one statement per 200). */
export async function watchAllByDefault(
  db: Q,
  projectId: string,
  watches: readonly { taskId: string; userId: string; at: number }[],
): Promise<void> {
  for (let i = 0; i < watches.length; i += 200) {
    await db
      .insertInto('task_watchers')
      .values(
        watches.slice(i, i + 200).map((w) => ({
          project_id: projectId,
          task_id: w.taskId,
          user_id: w.userId,
          watching: 1,
          updated_at: w.at,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
}

export async function setWatching(
  db: Q,
  projectId: string,
  taskId: string,
  userId: string,
  watching: boolean,
  at: number,
): Promise<void> {
  const w = watching ? 1 : 0
  await db
    .insertInto('task_watchers')
    .values({
      project_id: projectId,
      task_id: taskId,
      user_id: userId,
      watching: w,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc.columns(['project_id', 'task_id', 'user_id']).doUpdateSet({ watching: w, updated_at: at }),
    )
    .execute()
}

export async function findWatching(
  db: Q,
  projectId: string,
  taskId: string,
  userId: string,
): Promise<boolean | null> {
  const r = await db
    .selectFrom('task_watchers')
    .select('watching')
    .where('project_id', '=', projectId)
    .where('task_id', '=', taskId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return r ? r.watching === 1 : null
}

/**
 * Who follows a task: explicit or default watchers, plus assignees known to the reporting
 * projection (assigned before watching existed), minus those who unwatched.
 */
export async function followersOf(db: Q, projectId: string, taskId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('task_watchers')
    .select(['user_id', 'watching'])
    .where('project_id', '=', projectId)
    .where('task_id', '=', taskId)
    .execute()
  const assignees = await db
    .selectFrom('report_task_assignees')
    .select('user_id')
    .where('project_id', '=', projectId)
    .where('task_id', '=', taskId)
    .execute()
  const out = new Set(rows.filter((r) => r.watching === 1).map((r) => r.user_id))
  for (const a of assignees) out.add(a.user_id)
  for (const r of rows) if (r.watching === 0) out.delete(r.user_id)
  return [...out]
}

// --- preferences --------------------------------------------------------------------------

export async function loadPreferences(db: Q, userId: string) {
  const [rows, settings] = await Promise.all([
    db.selectFrom('notification_preferences').selectAll().where('user_id', '=', userId).execute(),
    db
      .selectFrom('notification_settings')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst(),
  ])
  return { rows, settings }
}

export async function savePreference(
  db: Q,
  userId: string,
  trigger: string,
  inApp: boolean,
  email: boolean,
): Promise<void> {
  const values = { in_app: inApp ? 1 : 0, email: email ? 1 : 0 }
  await db
    .insertInto('notification_preferences')
    .values({ user_id: userId, trigger, ...values })
    .onConflict((oc) => oc.columns(['user_id', 'trigger']).doUpdateSet(values))
    .execute()
}

export async function saveEmailMode(
  db: Q,
  userId: string,
  mode: 'immediate' | 'digest',
): Promise<void> {
  await db
    .insertInto('notification_settings')
    .values({ user_id: userId, email_mode: mode, last_digest_at: null })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ email_mode: mode }))
    .execute()
}

/**
 * Retires every unsubscribe link sent so far: call in the transaction of each preference
 * change (including an unsubscribe). Returns the new version.
 */
export async function bumpPreferencesVersion(db: Q, userId: string): Promise<number> {
  const row = await db
    .insertInto('notification_settings')
    .values({
      user_id: userId,
      email_mode: 'immediate',
      last_digest_at: null,
      preferences_version: 1,
    })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet((eb) => ({
        preferences_version: eb('notification_settings.preferences_version', '+', 1),
      })),
    )
    .returning('preferences_version')
    .executeTakeFirstOrThrow()
  return row.preferences_version
}

export async function setLastDigestAt(db: Q, userId: string, at: number): Promise<void> {
  await db
    .insertInto('notification_settings')
    .values({ user_id: userId, email_mode: 'digest', last_digest_at: at })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ last_digest_at: at }))
    .execute()
}

export async function memberIds(db: Q, projectId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('project_members')
    .select('user_id')
    .where('project_id', '=', projectId)
    .execute()
  return new Set(rows.map((r) => r.user_id))
}
