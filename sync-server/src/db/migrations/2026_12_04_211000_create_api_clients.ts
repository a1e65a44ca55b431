import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/.
export async function up(db: Kysely<any>): Promise<void> {
  // The Yjs client ID each user writes under through the task API, per document. Written
  // once; the binding to the user is in client_bindings like every other client ID.
  await db.schema
    .createTable('api_clients')
    .addColumn('doc_name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('client_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('api_clients_pk', ['doc_name', 'user_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('api_clients').execute()
}
