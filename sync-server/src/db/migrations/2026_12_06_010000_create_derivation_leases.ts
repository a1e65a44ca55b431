import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/.
export async function up(db: Kysely<any>): Promise<void> {
  // Which node runs a document's derivation consumers right now, when several nodes share
  // one database. Separate from doc_leases (compaction): one node may compact a document
  // while another derives it. A holder that died loses the lease when it expires.
  await db.schema
    .createTable('derivation_leases')
    .addColumn('doc_name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('derivation_leases').execute()
}
