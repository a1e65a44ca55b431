import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/.
export async function up(db: Kysely<any>): Promise<void> {
  // Which user owns each Yjs client ID of a document: the first to send structs with it.
  // Rows are written once and never updated; they go with the document.
  await db.schema
    .createTable('client_bindings')
    .addColumn('doc_name', 'text', (c) => c.notNull())
    .addColumn('client_id', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('client_bindings_pk', ['doc_name', 'client_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('client_bindings').execute()
}
