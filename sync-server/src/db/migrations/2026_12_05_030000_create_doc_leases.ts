import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/.
export async function up(db: Kysely<any>): Promise<void> {
  // Which node may compact a document right now, when several nodes share one database
  // (cluster mode on SQLite; Postgres uses an advisory lock). A holder that died loses the
  // lease when it expires.
  await db.schema
    .createTable('doc_leases')
    .addColumn('doc_name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('doc_leases').execute()
}
