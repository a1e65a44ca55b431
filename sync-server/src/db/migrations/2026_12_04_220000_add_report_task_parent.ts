import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. Subtasks (issue 14): each projected task row
// holds its parent as the board shows it. Existing rows need no backfill: no board held a
// parent before this release, so null (top level) is right for all of them.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('report_tasks').addColumn('parent_id', 'text').execute()
  await db.schema
    .createIndex('report_tasks_parent')
    .on('report_tasks')
    .columns(['project_id', 'parent_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('report_tasks_parent').execute()
  await db.schema.alterTable('report_tasks').dropColumn('parent_id').execute()
}
