import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. Custom fields in the reporting projection
// (issue 14): the field definitions and their options, replaced whole when they change, and
// each task's stored values raw (one row per scalar or per option of a multi select), so
// reports can group by a select field. Rebuildable from documents like every report_ table.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_fields')
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('field_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('report_fields_pk', ['project_id', 'field_id'])
    .execute()

  await db.schema
    .createTable('report_field_options')
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('field_id', 'text', (c) => c.notNull())
    .addColumn('option_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_field_options_pk', ['project_id', 'field_id', 'option_id'])
    .execute()

  await db.schema
    .createTable('report_task_field_values')
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('field_id', 'text', (c) => c.notNull())
    // Select values: the option id. Other strings are kept here too (and in value_text).
    .addColumn('option_id', 'text')
    .addColumn('value_text', 'text')
    .addColumn('value_number', 'real')
    .execute()
  await db.schema
    .createIndex('report_task_field_values_task')
    .on('report_task_field_values')
    .columns(['project_id', 'task_id'])
    .execute()
  await db.schema
    .createIndex('report_task_field_values_field')
    .on('report_task_field_values')
    .columns(['project_id', 'field_id', 'option_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_task_field_values').execute()
  await db.schema.dropTable('report_field_options').execute()
  await db.schema.dropTable('report_fields').execute()
}
