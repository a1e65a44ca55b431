import type { Kysely, Transaction } from 'kysely'
import { dialectOf } from '../db/database.js'
import type { Database } from '../db/schema.js'
import { AWAY_KINDS, type AwayRow } from './away-summary.js'

type Q = Kysely<Database> | Transaction<Database>

export async function findVisit(db: Q, userId: string, projectId: string): Promise<number | null> {
  const row = await db
    .selectFrom('board_visits')
    .select('visited_at')
    .where('user_id', '=', userId)
    .where('project_id', '=', projectId)
    .executeTakeFirst()
  return row?.visited_at ?? null
}

/** Stores `at` unless a later visit is stored; answers the visit stored now. */
export async function recordVisit(
  db: Q,
  userId: string,
  projectId: string,
  at: number,
): Promise<number> {
  const row = await db
    .insertInto('board_visits')
    .values({ user_id: userId, project_id: projectId, visited_at: at })
    .onConflict((oc) =>
      oc.columns(['user_id', 'project_id']).doUpdateSet((eb) => ({
        // The later of the two: SQLite's two-argument max() is Postgres's greatest().
        visited_at: eb.fn(dialectOf(db) === 'postgres' ? 'greatest' : 'max', [
          eb.ref('board_visits.visited_at'),
          eb.ref('excluded.visited_at'),
        ]),
      })),
    )
    .returning('visited_at')
    .executeTakeFirstOrThrow()
  return row.visited_at
}

/** Activity of a project by others, of the kinds the summary reads, last edited in (since, until]. */
function othersActivity(
  db: Q,
  projectId: string,
  exceptUserId: string,
  since: number,
  until: number,
) {
  return db
    .selectFrom('activity')
    .where('project_id', '=', projectId)
    .where('last_at', '>', since)
    .where('last_at', '<=', until)
    .where('kind', 'in', AWAY_KINDS)
    .where((eb) => eb.or([eb('user_id', 'is', null), eb('user_id', '!=', exceptUserId)]))
}

/**
 * The tasks others changed in (since, until], most recently changed first (task id breaks
 * ties), with the time of their last change. One range of the covering index
 * `activity_project_last_at_away`: no activity row is read, no `data` parsed.
 */
export async function othersTasks(
  db: Q,
  projectId: string,
  exceptUserId: string,
  since: number,
  until: number,
): Promise<Array<{ task_id: string; last_at: number }>> {
  const rows = await othersActivity(db, projectId, exceptUserId, since, until)
    .select((eb) => ['task_id', eb.fn.max('last_at').as('last_at')])
    .groupBy('task_id')
    .orderBy('last_at', 'desc')
    .orderBy('task_id')
    .execute()
  // Postgres answers max() of a bigint as a string.
  return rows.map((r) => ({ task_id: r.task_id, last_at: Number(r.last_at) }))
}

/**
 * The rows of `taskIds` that `othersTasks` counted, `data` left as JSON, in no particular
 * order. Read through `activity_project_task`, one batch for all the tasks.
 */
export async function othersRowsOf(
  db: Q,
  projectId: string,
  exceptUserId: string,
  since: number,
  until: number,
  taskIds: readonly string[],
): Promise<AwayRow[]> {
  if (taskIds.length === 0) return []
  return othersActivity(db, projectId, exceptUserId, since, until)
    .where('task_id', 'in', taskIds)
    .select(['id', 'task_id', 'kind', 'subject', 'user_id', 'last_at', 'data'])
    .execute()
}
