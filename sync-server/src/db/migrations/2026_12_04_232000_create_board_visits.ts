import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. "While you were away" (issue 18): each user's
// last visit of each board, shared by their devices, and an index that reads a project's
// activity by time, so a week of changes on a large board is one range scan.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('board_visits')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    // Server time (ms) of the last moment the board was open and synced on any device.
    .addColumn('visited_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('board_visits_pk', ['user_id', 'project_id'])
    .execute()
  // Grouped entries end at last_at: an entry belongs to a window when its last edit does.
  await db.schema
    .createIndex('activity_project_last_at')
    .on('activity')
    .columns(['project_id', 'last_at'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('activity_project_last_at').execute()
  await db.schema.dropTable('board_visits').execute()
}
