import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. Board history (issue 18): a checkpoint is a
// full state ('full', every row written before this migration) or a diff against the
// previous checkpoint of the same document ('diff': only the structs after that
// checkpoint's state vector, plus the delete set), so checkpoints can be ~1,000 updates
// apart without storing the whole board each time. state_vector is the state vector of
// the state the checkpoint shows (null on older rows: derived from the full state).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('doc_checkpoints')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('full'))
    .execute()
  await db.schema.alterTable('doc_checkpoints').addColumn('state_vector', 'blob').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('doc_checkpoints').dropColumn('state_vector').execute()
  await db.schema.alterTable('doc_checkpoints').dropColumn('kind').execute()
}
