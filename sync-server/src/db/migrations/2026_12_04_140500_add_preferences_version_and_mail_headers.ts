import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. Unsubscribe links bound to the preferences
// they were sent under, and mail headers (List-Unsubscribe) kept in the outbox.
export async function up(db: Kysely<any>): Promise<void> {
  // Bumped by every change of a user's notification preferences (including an
  // unsubscribe); an unsubscribe link is valid only for the version it was signed with.
  await db.schema
    .alterTable('notification_settings')
    .addColumn('preferences_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  // Extra headers of a mail as a JSON object (e.g. List-Unsubscribe); null for none.
  await db.schema.alterTable('mail_outbox').addColumn('headers', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_outbox').dropColumn('headers').execute()
  await db.schema.alterTable('notification_settings').dropColumn('preferences_version').execute()
}
