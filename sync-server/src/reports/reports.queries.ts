import { sql } from 'kysely'
import type { Db } from '../db/database.js'

// Every query filters on project_id first: each has an index that starts with it.

export function columnsOf(db: Db, projectId: string) {
  return db
    .selectFrom('report_columns')
    .select(['column_id', 'name', 'category', 'position', 'wip_limit'])
    .where('project_id', '=', projectId)
    .orderBy('position')
    .execute()
}

/** Live (not deleted) tasks of a project with the fields reports need. */
export function liveTasksOf(db: Db, projectId: string) {
  return db
    .selectFrom('report_tasks')
    .select([
      'task_id',
      'title',
      'column_id',
      'category',
      'estimate',
      'due_date',
      'created_at',
      'completed_at',
      'assignee_ids',
    ])
    .where('project_id', '=', projectId)
    .where('deleted_at', 'is', null)
    .execute()
}

/** Every task (deleted ones with their deletion time), for history sweeps. */
export function allTasksOf(db: Db, projectId: string) {
  return db
    .selectFrom('report_tasks')
    .select(['task_id', 'title', 'estimate', 'created_at', 'completed_at', 'deleted_at'])
    .where('project_id', '=', projectId)
    .execute()
}

/** Status changes up to `until`, oldest first. */
export function statusChangesUntil(db: Db, projectId: string, until: number) {
  return db
    .selectFrom('report_status_changes')
    .select(['task_id', 'to_category', 'at'])
    .where('project_id', '=', projectId)
    .where('at', '<', until)
    .orderBy('at')
    .orderBy('id')
    .execute()
}

/** When each task first entered an in_progress column. */
export function firstStartedAt(db: Db, projectId: string) {
  return db
    .selectFrom('report_status_changes')
    .select(['task_id', sql<number>`min(at)`.as('started_at')])
    .where('project_id', '=', projectId)
    .where('to_category', '=', 'in_progress')
    .groupBy('task_id')
    .execute()
}

/** Open tasks with one row per assignee, joined to the user's name. */
export function openAssignments(db: Db, projectId: string) {
  return db
    .selectFrom('report_task_assignees as a')
    .innerJoin('report_tasks as t', (j) =>
      j.onRef('t.project_id', '=', 'a.project_id').onRef('t.task_id', '=', 'a.task_id'),
    )
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .select(['a.user_id', 'u.name', 't.estimate', 't.due_date'])
    .where('a.project_id', '=', projectId)
    .where('t.deleted_at', 'is', null)
    .where('t.category', '!=', 'done')
    .execute()
}

/**
 * A user's open tasks across the projects they are a member of, soonest due first
 * (undated last): read in order from the (user_id, open, due_key) index, stopping at `limit`.
 */
export function openTasksOfUser(db: Db, userId: string, limit: number) {
  return db
    .selectFrom('report_task_assignees as a')
    .innerJoin('project_members as m', (j) =>
      j.onRef('m.project_id', '=', 'a.project_id').on('m.user_id', '=', userId),
    )
    .innerJoin('projects as p', 'p.id', 'a.project_id')
    .innerJoin('report_tasks as t', (j) =>
      j.onRef('t.project_id', '=', 'a.project_id').onRef('t.task_id', '=', 'a.task_id'),
    )
    .select([
      'a.project_id',
      'p.name as project_name',
      't.task_id',
      't.parent_id',
      't.title',
      't.column_name',
      't.category',
      't.priority',
      't.due_date',
      't.estimate',
    ])
    .where('a.user_id', '=', userId)
    .where('a.open', '=', 1)
    .where('p.archived_at', 'is', null)
    .orderBy('a.due_key')
    .orderBy('a.project_id')
    .orderBy('a.task_id')
    .limit(limit)
    .execute()
}

/** A custom field with its options in order, or undefined (F9). */
export async function fieldOf(db: Db, projectId: string, fieldId: string) {
  const field = await db
    .selectFrom('report_fields')
    .select(['field_id', 'name', 'type', 'deleted'])
    .where('project_id', '=', projectId)
    .where('field_id', '=', fieldId)
    .executeTakeFirst()
  if (!field) return undefined
  const options = await db
    .selectFrom('report_field_options')
    .select(['option_id', 'name', 'color'])
    .where('project_id', '=', projectId)
    .where('field_id', '=', fieldId)
    .orderBy('position')
    .execute()
  return { ...field, options }
}

/** Option ids each task holds for a field (select values), any task of the project. */
export function fieldOptionValues(db: Db, projectId: string, fieldId: string) {
  return db
    .selectFrom('report_task_field_values')
    .select(['task_id', 'option_id'])
    .where('project_id', '=', projectId)
    .where('field_id', '=', fieldId)
    .where('option_id', 'is not', null)
    .execute()
}
