import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. "While you were away" (issue 18, performance):
// the tasks others changed in a window come from the index alone. (project_id, last_at) is
// the range; task_id, user_id and kind ride along so grouping by task and leaving out the
// reader's own entries never reads an activity row (a week of a busy board is ~20,000 rows,
// each with its JSON). It replaces activity_project_last_at, its prefix. Then the rows of
// the few hundred tasks listed are read by (project_id, task_id, last_at): each task's
// entries of the window, not the window's entries of every task (SQLite's planner took the
// time range, ~20,000 rows, for that read while it had only activity_project_task).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('activity_project_last_at_away')
    .on('activity')
    .columns(['project_id', 'last_at', 'task_id', 'user_id', 'kind'])
    .execute()
  await db.schema
    .createIndex('activity_project_task_last_at')
    .on('activity')
    .columns(['project_id', 'task_id', 'last_at'])
    .execute()
  await db.schema.dropIndex('activity_project_last_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('activity_project_last_at')
    .on('activity')
    .columns(['project_id', 'last_at'])
    .execute()
  await db.schema.dropIndex('activity_project_task_last_at').execute()
  await db.schema.dropIndex('activity_project_last_at_away').execute()
}
