import { type Kysely, sql } from 'kysely'

// Frozen in time: imports nothing from src/. Instance administration (issue 19): who
// administers the instance, which accounts are disabled, and instance-wide settings.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.alterTable('users').addColumn('disabled_at', 'integer').execute()
  // An instance that already has accounts gets its first one as admin, as a new one would.
  await sql`UPDATE users SET is_admin = 1 WHERE id = (
      SELECT id FROM users ORDER BY created_at, id LIMIT 1)`.execute(db)
  await db.schema
    .createTable('instance_settings')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('instance_settings').execute()
  await db.schema.alterTable('users').dropColumn('disabled_at').execute()
  await db.schema.alterTable('users').dropColumn('is_admin').execute()
}
