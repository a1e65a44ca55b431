import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. Board history (issue 18 perf): the per-task
// field versions and the change steps, derived from the update log, are stored instead of
// rebuilt in memory by replaying the whole retained log on a board's first history read.
// history_index: how far each document's derivation got (the log row last applied) and
// the base it started from (a new oldest base after retention means a rebuild).
// history_versions: id orders a task's versions (oldest first); value is JSON.
// history_steps: tasks is JSON [[taskId, [field, ...]], ...], column_ids JSON [id, ...].
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('history_index')
    .addColumn('doc_name', 'text', (c) => c.primaryKey())
    .addColumn('base_kind', 'text', (c) => c.notNull())
    .addColumn('base_seq', 'integer', (c) => c.notNull())
    .addColumn('last_seq', 'integer', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('history_versions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('doc_name', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('initial', 'integer', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('history_versions_task')
    .on('history_versions')
    .columns(['doc_name', 'task_id', 'id'])
    .execute()
  await db.schema
    .createTable('history_steps')
    .addColumn('doc_name', 'text', (c) => c.notNull())
    .addColumn('from_seq', 'integer', (c) => c.notNull())
    .addColumn('to_seq', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'integer', (c) => c.notNull())
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('tasks', 'text', (c) => c.notNull())
    .addColumn('column_ids', 'text', (c) => c.notNull())
    .addColumn('board', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('history_steps_pk', ['doc_name', 'from_seq'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('history_steps').execute()
  await db.schema.dropTable('history_versions').execute()
  await db.schema.dropTable('history_index').execute()
}
