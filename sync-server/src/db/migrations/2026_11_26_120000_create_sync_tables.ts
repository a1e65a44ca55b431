import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/.
export async function up(db: Kysely<any>): Promise<void> {
  // Append-only log of every accepted Yjs update, in arrival order per document.
  await db.schema
    .createTable('doc_updates')
    .addColumn('doc_name', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('update', 'blob', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('doc_updates_pk', ['doc_name', 'seq'])
    .execute()
  // One row per document: the merged state of every update with seq <= upto_seq.
  await db.schema
    .createTable('doc_snapshots')
    .addColumn('doc_name', 'text', (c) => c.primaryKey())
    .addColumn('upto_seq', 'integer', (c) => c.notNull())
    .addColumn('state', 'blob', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('doc_snapshots').execute()
  await db.schema.dropTable('doc_updates').execute()
}
