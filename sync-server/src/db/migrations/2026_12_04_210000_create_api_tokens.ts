import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. Personal API tokens (issue 16): only the
// SHA-256 of each secret is stored. `project_ids` is a JSON array (null: every project of
// the owner) rather than a join table, so deleting a project can never turn a limited token
// into an unlimited one by emptying its list.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('project_ids', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer')
    .addColumn('last_used_at', 'integer')
    .execute()
  await db.schema.createIndex('api_tokens_user_id').on('api_tokens').column('user_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('api_tokens').execute()
}
