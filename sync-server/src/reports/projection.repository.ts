import type { ColumnRow, FieldRow, TaskRow } from '@taskflow/board'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/schema.js'

type Q = Kysely<Database> | Transaction<Database>

// SQLite caps the variables of one statement (32,766): multi-row statements go in chunks.
const CHUNK = 500
function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK))
  return out
}

/** A change of a task's displayed column, attributed to the update that made it. */
export interface StatusChange {
  taskId: string
  fromColumnId: string | null
  fromCategory: string | null
  toColumnId: string
  toCategory: string
  at: number
  userId: string | null
  seq: number
}

export interface ProjectedTask {
  taskId: string
  columnId: string
  category: string
  deleted: boolean
}

export async function projectExists(db: Q, projectId: string): Promise<boolean> {
  const row = await db
    .selectFrom('projects')
    .select('id')
    .where('id', '=', projectId)
    .executeTakeFirst()
  return row !== undefined
}

export async function getProjectedSeq(db: Q, projectId: string): Promise<number | null> {
  const row = await db
    .selectFrom('report_state')
    .select('projected_seq')
    .where('project_id', '=', projectId)
    .executeTakeFirst()
  return row?.projected_seq ?? null
}

export async function setProjectedSeq(db: Q, projectId: string, seq: number): Promise<void> {
  await db
    .insertInto('report_state')
    .values({ project_id: projectId, projected_seq: seq })
    .onConflict((oc) => oc.column('project_id').doUpdateSet({ projected_seq: seq }))
    .execute()
}

/** Where each projected task shows now (the previous state status changes start from). */
export async function loadProjectedTasks(db: Q, projectId: string): Promise<ProjectedTask[]> {
  const rows = await db
    .selectFrom('report_tasks')
    .select(['task_id', 'column_id', 'category', 'deleted_at'])
    .where('project_id', '=', projectId)
    .execute()
  return rows.map((r) => ({
    taskId: r.task_id,
    columnId: r.column_id,
    category: r.category,
    deleted: r.deleted_at !== null,
  }))
}

export async function replaceColumns(
  db: Q,
  projectId: string,
  columns: ColumnRow[],
): Promise<void> {
  await db.deleteFrom('report_columns').where('project_id', '=', projectId).execute()
  if (columns.length === 0) return
  await db
    .insertInto('report_columns')
    .values(
      columns.map((c) => ({
        project_id: projectId,
        column_id: c.columnId,
        name: c.name,
        category: c.category,
        position: c.position,
        wip_limit: c.wipLimit,
      })),
    )
    .execute()
}

/** Task rows per multi-row statement: 18 parameters a row stays far below both dialects' limits. */
const TASK_CHUNK = 200

/**
 * Writes the rows of these tasks (insert or replace) and their assignee and field-value
 * rows: a few multi-row statements per chunk of tasks, not four or five per task (the
 * derivation engine writes every batch's changed tasks; per-task statements were most of
 * its cost on a busy board). A task listed twice is written as its last row.
 */
export async function upsertTasks(db: Q, projectId: string, rows: TaskRow[]): Promise<void> {
  const last = new Map<string, TaskRow>()
  for (const r of rows) {
    last.delete(r.taskId)
    last.set(r.taskId, r)
  }
  const unique = [...last.values()]
  for (let i = 0; i < unique.length; i += TASK_CHUNK) {
    const part = unique.slice(i, i + TASK_CHUNK)
    const ids = part.map((r) => r.taskId)
    await db
      .insertInto('report_tasks')
      .values(
        part.map((r) => ({
          project_id: projectId,
          task_id: r.taskId,
          title: r.title,
          column_id: r.columnId,
          column_name: r.columnName,
          category: r.category,
          priority: r.priority,
          estimate: r.estimate,
          start_date: r.startDate,
          due_date: r.dueDate,
          created_at: r.createdAt,
          created_by: r.createdBy,
          updated_at: r.updatedAt,
          completed_at: r.completedAt,
          deleted_at: r.deletedAt,
          assignee_ids: JSON.stringify(r.assigneeIds),
          label_ids: JSON.stringify(r.labelIds),
          parent_id: r.parentId,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['project_id', 'task_id']).doUpdateSet((eb) => ({
          title: eb.ref('excluded.title'),
          column_id: eb.ref('excluded.column_id'),
          column_name: eb.ref('excluded.column_name'),
          category: eb.ref('excluded.category'),
          priority: eb.ref('excluded.priority'),
          estimate: eb.ref('excluded.estimate'),
          start_date: eb.ref('excluded.start_date'),
          due_date: eb.ref('excluded.due_date'),
          created_at: eb.ref('excluded.created_at'),
          created_by: eb.ref('excluded.created_by'),
          updated_at: eb.ref('excluded.updated_at'),
          completed_at: eb.ref('excluded.completed_at'),
          deleted_at: eb.ref('excluded.deleted_at'),
          assignee_ids: eb.ref('excluded.assignee_ids'),
          label_ids: eb.ref('excluded.label_ids'),
          parent_id: eb.ref('excluded.parent_id'),
        })),
      )
      .execute()
    await db
      .deleteFrom('report_task_assignees')
      .where('project_id', '=', projectId)
      .where('task_id', 'in', ids)
      .execute()
    await db
      .deleteFrom('report_task_field_values')
      .where('project_id', '=', projectId)
      .where('task_id', 'in', ids)
      .execute()
    const fieldValues = part.flatMap((r) =>
      r.fieldValues.map((v) => ({
        project_id: projectId,
        task_id: r.taskId,
        field_id: v.fieldId,
        option_id: v.optionId,
        value_text: v.text,
        value_number: v.number,
      })),
    )
    for (const values of chunks(fieldValues)) {
      await db.insertInto('report_task_field_values').values(values).execute()
    }
    const assignees = part.flatMap((r) =>
      r.assigneeIds.map((u) => ({
        project_id: projectId,
        task_id: r.taskId,
        user_id: u,
        open: r.deletedAt === null && r.category !== 'done' ? 1 : 0,
        due_key: r.dueDate ?? '9999-12-31',
      })),
    )
    for (const values of chunks(assignees)) {
      await db.insertInto('report_task_assignees').values(values).execute()
    }
  }
}

export async function deleteTasks(db: Q, projectId: string, taskIds: string[]): Promise<void> {
  for (const ids of chunks(taskIds)) {
    await db
      .deleteFrom('report_tasks')
      .where('project_id', '=', projectId)
      .where('task_id', 'in', ids)
      .execute()
    await db
      .deleteFrom('report_task_assignees')
      .where('project_id', '=', projectId)
      .where('task_id', 'in', ids)
      .execute()
    await db
      .deleteFrom('report_task_field_values')
      .where('project_id', '=', projectId)
      .where('task_id', 'in', ids)
      .execute()
  }
}

/** Replaces a project's custom-field definitions and options (F9). */
export async function replaceFields(db: Q, projectId: string, fields: FieldRow[]): Promise<void> {
  await db.deleteFrom('report_field_options').where('project_id', '=', projectId).execute()
  await db.deleteFrom('report_fields').where('project_id', '=', projectId).execute()
  if (fields.length === 0) return
  await db
    .insertInto('report_fields')
    .values(
      fields.map((f) => ({
        project_id: projectId,
        field_id: f.fieldId,
        name: f.name,
        type: f.type,
        position: f.position,
        deleted: f.deleted ? 1 : 0,
      })),
    )
    .execute()
  const options = fields.flatMap((f) =>
    f.options.map((o) => ({
      project_id: projectId,
      field_id: f.fieldId,
      option_id: o.optionId,
      name: o.name,
      color: o.color,
      position: o.position,
    })),
  )
  for (const part of chunks(options)) {
    await db.insertInto('report_field_options').values(part).execute()
  }
}

export async function insertStatusChanges(
  db: Q,
  projectId: string,
  changes: readonly StatusChange[],
): Promise<void> {
  for (const part of chunks(changes)) {
    await insertStatusChangeRows(db, projectId, part)
  }
}

async function insertStatusChangeRows(
  db: Q,
  projectId: string,
  changes: StatusChange[],
): Promise<void> {
  await db
    .insertInto('report_status_changes')
    .values(
      changes.map((c) => ({
        project_id: projectId,
        task_id: c.taskId,
        from_column_id: c.fromColumnId,
        from_category: c.fromCategory,
        to_column_id: c.toColumnId,
        to_category: c.toCategory,
        at: c.at,
        user_id: c.userId,
        seq: c.seq,
      })),
    )
    .execute()
}

/** Removes the projection of a project (before a rebuild), keeping status changes up to `keepSeq`. */
export async function clearProjection(db: Q, projectId: string, keepSeq: number): Promise<void> {
  await db.deleteFrom('report_tasks').where('project_id', '=', projectId).execute()
  await db.deleteFrom('report_task_assignees').where('project_id', '=', projectId).execute()
  await db.deleteFrom('report_columns').where('project_id', '=', projectId).execute()
  await db.deleteFrom('report_task_field_values').where('project_id', '=', projectId).execute()
  await db.deleteFrom('report_field_options').where('project_id', '=', projectId).execute()
  await db.deleteFrom('report_fields').where('project_id', '=', projectId).execute()
  await db
    .deleteFrom('report_status_changes')
    .where('project_id', '=', projectId)
    .where('seq', '>', keepSeq)
    .execute()
  await db.deleteFrom('report_state').where('project_id', '=', projectId).execute()
}
