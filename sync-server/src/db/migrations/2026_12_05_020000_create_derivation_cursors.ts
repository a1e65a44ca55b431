import { type Kysely, sql } from 'kysely'

// Frozen in time: imports nothing from src/. One derivation engine (issue 17): every consumer
// of the committed update log (projection, activity, notifications, webhooks) keeps how far
// it has derived each document here, written in the same transaction as what it derived, so
// each sequence has its effects exactly once. Seeded from the two state tables the
// projection and the activity deriver kept before (notifications and webhooks were written
// in the activity transaction, so they were exactly as far).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('derivation_cursors')
    .addColumn('consumer', 'text', (c) => c.notNull())
    .addColumn('doc_name', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('derivation_cursors_pk', ['consumer', 'doc_name'])
    .execute()
  await sql`INSERT INTO derivation_cursors (consumer, doc_name, seq)
    SELECT 'projection', project_id, projected_seq FROM report_state`.execute(db)
  for (const consumer of ['activity', 'notifications', 'webhooks']) {
    await sql`INSERT INTO derivation_cursors (consumer, doc_name, seq)
      SELECT ${consumer}, project_id, derived_seq FROM activity_state`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('derivation_cursors').execute()
}
