import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. Board history (issue 18): full states of a
// document kept at a policy, each the merge of every update with seq <= upto_seq. The
// update rows between them stay in doc_updates (with their sender and time) for the
// retention period, so any instant in it is a checkpoint plus a replay. upto_at is the
// stored time of update upto_seq (the instant the checkpoint shows).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('doc_checkpoints')
    .addColumn('doc_name', 'text', (c) => c.notNull())
    .addColumn('upto_seq', 'integer', (c) => c.notNull())
    .addColumn('upto_at', 'integer', (c) => c.notNull())
    .addColumn('state', 'blob', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('doc_checkpoints_pk', ['doc_name', 'upto_seq'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('doc_checkpoints').execute()
}
