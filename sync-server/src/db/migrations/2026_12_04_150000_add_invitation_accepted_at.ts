import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. An accepted invitation is kept (marked) rather
// than deleted, so its link can say "already used" instead of "unknown".
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('invitations').addColumn('accepted_at', 'integer').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('invitations').dropColumn('accepted_at').execute()
}
