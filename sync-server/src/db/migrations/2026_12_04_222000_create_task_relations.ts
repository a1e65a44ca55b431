import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. Relations between tasks (issue 14), projected
// from board documents like report_tasks (rebuildable from documents): one row per stored
// relation whose two tasks exist. `relates` is symmetric and stored once, smaller id first;
// `blocks` and `duplicate` are directed (from blocks / duplicates to).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('task_relations')
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('from_task_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('to_task_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'integer')
    .addPrimaryKeyConstraint('task_relations_pk', [
      'project_id',
      'from_task_id',
      'type',
      'to_task_id',
    ])
    .execute()
  // "What blocks this task" reads by the target.
  await db.schema
    .createIndex('task_relations_to')
    .on('task_relations')
    .columns(['project_id', 'to_task_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('task_relations').execute()
}
