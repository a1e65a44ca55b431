import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Frozen in time: imports nothing from src/. Board history (issue 18, storage ≤ 2 ×): the
// task-history index (history_versions, history_steps) packed. Plain rows repeat the
// 36-character document, task and user ids on every row and in their indexes (~3.4 × the
// compacted document plus raw log, where values were 7 % of it); packed, the oldest rows of
// a document go into compressed pieces with the ids of a piece stored once.
//
// history_index_packs: one piece. kind 'versions': a run of a document's versions in the
// order they were derived (history_versions id order); kind 'steps': a run of its steps in
// from_seq order. first_seq / last_seq: the smallest and largest seq (a step's from_seq) in
// it; min_at / max_at: the earliest and latest time in it (a step's started_at and at), to
// skip pieces outside a changes page's range. body: brotli JSON, ids interned per piece.
// id orders a document's pieces; every piece comes before the document's plain rows.
//
// history_index_pack_tasks: which versions pieces hold a version of which task, by 32-bit
// hashes of the document and task ids (a collision only costs a piece read and filtered).
//
// Nothing is converted: plain rows already stored are packed, oldest first, by the
// document's next derivation writes.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('history_index_packs')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('doc_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('first_seq', 'integer', (c) => c.notNull())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .addColumn('min_at', 'integer', (c) => c.notNull())
    .addColumn('max_at', 'integer', (c) => c.notNull())
    .addColumn('body', 'blob', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('history_index_packs_doc')
    .on('history_index_packs')
    .columns(['doc_name', 'kind', 'last_seq'])
    .execute()
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter
  await db.schema
    .createTable('history_index_pack_tasks')
    .addColumn('doc_key', 'integer', (c) => c.notNull())
    .addColumn('task_key', 'integer', (c) => c.notNull())
    .addColumn('pack_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('history_index_pack_tasks_pk', ['doc_key', 'task_key', 'pack_id'])
    // SQLite: the primary key is the table (no rowid table beside its index).
    .$call((b) => (postgres ? b : b.modifyEnd(sql`without rowid`)))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('history_index_pack_tasks').execute()
  await db.schema.dropTable('history_index_packs').execute()
}
