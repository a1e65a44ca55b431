import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. Board history (issue 18: compaction never
// blocks the relay path for > 50 ms). A large snapshot or checkpoint state is written as
// parts of at most 256 KiB, each in its own short transaction, so SQLite's single write
// lock (which every group commit needs before relaying) is never held for a multi-MB blob.
// The parts are staged under a fresh `blob_id` first; then one small transaction points
// the snapshot or checkpoint row at them (`parts_id`, `parts` = how many), with an empty
// `state`. A crash while staging leaves the row as it was (its old state still complete);
// parts no row points at are deleted by the document's next compaction. Rows with
// `parts_id` null keep their state inline, as before.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('doc_state_parts')
    .addColumn('blob_id', 'text', (c) => c.notNull())
    .addColumn('part', 'integer', (c) => c.notNull())
    .addColumn('doc_name', 'text', (c) => c.notNull())
    .addColumn('data', 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('doc_state_parts_pk', ['blob_id', 'part'])
    .execute()
  await db.schema
    .createIndex('doc_state_parts_doc')
    .on('doc_state_parts')
    .columns(['doc_name', 'blob_id'])
    .execute()
  for (const table of ['doc_snapshots', 'doc_checkpoints']) {
    await db.schema.alterTable(table).addColumn('parts_id', 'text').execute()
    await db.schema.alterTable(table).addColumn('parts', 'integer').execute()
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['doc_snapshots', 'doc_checkpoints']) {
    await db.schema.alterTable(table).dropColumn('parts').execute()
    await db.schema.alterTable(table).dropColumn('parts_id').execute()
  }
  await db.schema.dropTable('doc_state_parts').execute()
}
