import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Frozen in time: imports nothing from src/. The activity log and notifications derived
// from persisted board updates (issue 7), watchers, preferences, and HTML bodies of mail.
export async function up(db: Kysely<any>): Promise<void> {
  // How far into a document's update log activity (and notifications) have been derived.
  await db.schema
    .createTable('activity_state')
    .addColumn('project_id', 'text', (c) =>
      c.primaryKey().references('projects.id').onDelete('cascade'),
    )
    .addColumn('derived_seq', 'integer', (c) => c.notNull())
    .execute()
  // Projects that exist before this migration start at the end of their log: their history
  // was never derived, and replaying it now would notify people about old news.
  // Dialect-aware (issue 17), unchanged on SQLite: two-argument MAX is SQLite's GREATEST.
  const greatest = sql.raw(db.getExecutor().adapter instanceof PostgresAdapter ? 'GREATEST' : 'MAX')
  await sql`
    INSERT INTO activity_state (project_id, derived_seq)
    SELECT p.id, ${greatest}(
      COALESCE((SELECT MAX(seq) FROM doc_updates u WHERE u.doc_name = p.id), 0),
      COALESCE((SELECT upto_seq FROM doc_snapshots s WHERE s.doc_name = p.id), 0)
    ) FROM projects p`.execute(db)

  await db.schema
    .createTable('activity')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    // What within the task: a field name, checklist item id or comment id ('' for none).
    .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('user_id', 'text')
    .addColumn('seq', 'integer', (c) => c.notNull())
    // Grouped entries (rapid edits of one field) span seq..last_seq and at..last_at.
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('last_at', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute()
  // Replaying the log (catch-up after a crash, a room reload) can never add an entry twice.
  await db.schema
    .createIndex('activity_event')
    .unique()
    .on('activity')
    .columns(['project_id', 'seq', 'task_id', 'kind', 'subject'])
    .execute()
  await db.schema
    .createIndex('activity_project_task')
    .on('activity')
    .columns(['project_id', 'task_id', 'id'])
    .execute()
  await db.schema
    .createIndex('activity_project_user')
    .on('activity')
    .columns(['project_id', 'user_id', 'id'])
    .execute()

  // Explicit watch choices; creators and assignees get a row (watching=1) by default,
  // unwatching writes watching=0 so a later default never re-subscribes them.
  await db.schema
    .createTable('task_watchers')
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('watching', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('task_watchers_pk', ['project_id', 'task_id', 'user_id'])
    .execute()

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('task_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    // Derived from the event (update seq, task, comment, due date...): the idempotency key.
    .addColumn('event_key', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('read_at', 'integer')
    .addColumn('in_app', 'integer', (c) => c.notNull())
    // none | pending (immediate mail not yet sent) | digest (waits for the digest) | sent
    .addColumn('email_state', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('notifications_event')
    .unique()
    .on('notifications')
    .columns(['user_id', 'event_key'])
    .execute()
  await db.schema
    .createIndex('notifications_user')
    .on('notifications')
    .columns(['user_id', 'in_app', 'id'])
    .execute()
  await db.schema
    .createIndex('notifications_email')
    .on('notifications')
    .columns(['email_state', 'user_id'])
    .execute()

  // Only choices that differ from the defaults are stored.
  await db.schema
    .createTable('notification_preferences')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('in_app', 'integer', (c) => c.notNull())
    .addColumn('email', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_preferences_pk', ['user_id', 'trigger'])
    .execute()
  await db.schema
    .createTable('notification_settings')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('email_mode', 'text', (c) => c.notNull())
    .addColumn('last_digest_at', 'integer')
    .execute()

  // Server-generated secrets (the unsubscribe-link key), stable across restarts.
  await db.schema
    .createTable('server_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('secret', 'blob', (c) => c.notNull())
    .execute()

  await db.schema.alterTable('mail_outbox').addColumn('html', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').dropColumn('html').execute()
  for (const t of [
    'server_secrets',
    'notification_settings',
    'notification_preferences',
    'notifications',
    'task_watchers',
    'activity',
    'activity_state',
  ]) {
    await db.schema.dropTable(t).execute()
  }
}
