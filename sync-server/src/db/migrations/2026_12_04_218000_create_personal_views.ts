import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. Personal saved views (issue 15): one row per
// (user, view id); a deleted view stays as a tombstone (deleted = 1) so the user's other
// devices learn of the deletion and an older offline edit cannot bring it back.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('personal_views')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    // Made on the device (so a view made offline keeps its id).
    .addColumn('view_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    // The view state as JSON.
    .addColumn('body', 'text', (c) => c.notNull())
    // The device's time of the last edit (ms): last writer wins on it.
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('personal_views_pk', ['user_id', 'view_id'])
    .execute()
  await db.schema
    .createIndex('personal_views_user_project')
    .on('personal_views')
    .columns(['user_id', 'project_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('personal_views').execute()
}
