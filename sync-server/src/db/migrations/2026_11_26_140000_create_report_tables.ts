import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. The projection of board documents into
// relational rows that reports query (ARCHITECTURE rule 4). Rebuildable from documents.
export async function up(db: Kysely<any>): Promise<void> {
  // How far into a document's update log the projection has got.
  await db.schema
    .createTable('report_state')
    .addColumn('project_id', 'text', (c) =>
      c.primaryKey().references('projects.id').onDelete('cascade'),
    )
    .addColumn('projected_seq', 'integer', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('report_columns')
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('column_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('wip_limit', 'integer')
    .addPrimaryKeyConstraint('report_columns_pk', ['project_id', 'column_id'])
    .execute()

  await db.schema
    .createTable('report_tasks')
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('column_id', 'text', (c) => c.notNull())
    .addColumn('column_name', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('estimate', 'real')
    .addColumn('start_date', 'text')
    .addColumn('due_date', 'text')
    .addColumn('created_at', 'integer')
    .addColumn('created_by', 'text')
    .addColumn('updated_at', 'integer')
    .addColumn('completed_at', 'integer')
    .addColumn('deleted_at', 'integer')
    .addColumn('assignee_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('label_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .addPrimaryKeyConstraint('report_tasks_pk', ['project_id', 'task_id'])
    .execute()
  await db.schema
    .createIndex('report_tasks_open_due')
    .on('report_tasks')
    .columns(['project_id', 'category', 'due_date'])
    .execute()

  // One row per (task, assignee) so workload and "my tasks" are plain indexed queries.
  await db.schema
    .createTable('report_task_assignees')
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    // Copied from the task so "my open tasks, soonest due first" reads one index in order
    // and stops at its LIMIT instead of joining and sorting every assignment.
    .addColumn('open', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('due_key', 'text', (c) => c.notNull().defaultTo('9999-12-31'))
    .addPrimaryKeyConstraint('report_task_assignees_pk', ['project_id', 'task_id', 'user_id'])
    .execute()
  await db.schema
    .createIndex('report_task_assignees_user')
    .on('report_task_assignees')
    .columns(['user_id', 'open', 'due_key'])
    .execute()

  // Every change of a task's column, attributed to the user whose update made it.
  await db.schema
    .createTable('report_status_changes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('from_column_id', 'text')
    .addColumn('from_category', 'text')
    .addColumn('to_column_id', 'text', (c) => c.notNull())
    .addColumn('to_category', 'text', (c) => c.notNull())
    .addColumn('at', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('report_status_changes_project_at')
    .on('report_status_changes')
    .columns(['project_id', 'at'])
    .execute()
  await db.schema
    .createIndex('report_status_changes_task')
    .on('report_status_changes')
    .columns(['project_id', 'task_id', 'at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_state').execute()
  await db.schema.dropTable('report_status_changes').execute()
  await db.schema.dropTable('report_task_assignees').execute()
  await db.schema.dropTable('report_tasks').execute()
  await db.schema.dropTable('report_columns').execute()
}
