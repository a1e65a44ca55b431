import { type Kysely, PostgresAdapter, sql } from 'kysely'

const sqlNocase = sql`collate nocase`
const sqlRoleCheck = sql`role in ('owner', 'admin', 'member', 'viewer')`

// Frozen in time: imports nothing from src/. Timestamps are epoch milliseconds.
export async function up(db: Kysely<any>): Promise<void> {
  // Dialect-aware (issue 17), unchanged on SQLite: Postgres has no built-in NOCASE, so the
  // same name is created there as a case-insensitive ICU collation, and `collate nocase`
  // below means the same thing on both.
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false)`.execute(
      db,
    )
  }
  // E-mails are stored lower-cased by the app; NOCASE makes the uniqueness hold regardless.
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique().modifyEnd(sqlNocase))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('avatar_color', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute()

  // Only the SHA-256 of a session token is stored; a revoked session is deleted.
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute()

  await db.schema
    .createTable('password_resets')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addColumn('used_at', 'integer')
    .execute()
  await db.schema
    .createIndex('password_resets_user_id')
    .on('password_resets')
    .column('user_id')
    .execute()

  await db.schema
    .createTable('projects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('archived_at', 'integer')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('project_members')
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sqlRoleCheck))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_members_pk', ['project_id', 'user_id'])
    .execute()
  await db.schema
    .createIndex('project_members_user_id')
    .on('project_members')
    .column('user_id')
    .execute()

  // Pending invitations of addresses; the link carries a token whose SHA-256 is stored.
  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('email', 'text', (c) => c.notNull().modifyEnd(sqlNocase))
    .addColumn('role', 'text', (c) => c.notNull().check(sqlRoleCheck))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('invited_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addUniqueConstraint('invitations_project_email', ['project_id', 'email'])
    .execute()

  // Mail is written here only when no SMTP_URL is configured, so a self-hoster can read links.
  await db.schema
    .createTable('mail_outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'mail_outbox',
    'invitations',
    'project_members',
    'projects',
    'password_resets',
    'sessions',
    'users',
  ]) {
    await db.schema.dropTable(t).execute()
  }
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`DROP COLLATION IF EXISTS nocase`.execute(db)
  }
}
