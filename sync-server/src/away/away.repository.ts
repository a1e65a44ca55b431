import type { Kysely, Transaction } from 'kysely'
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
        visited_at: eb.fn('max', [
          eb.ref('board_visits.visited_at'),
          eb.ref('excluded.visited_at'),
        ]),
      })),
    )
    .returning('visited_at')
    .executeTakeFirstOrThrow()
  return row.visited_at
}

/**
 * Activity rows of a project whose last edit is in (since, until], by anyone but
 * `exceptUserId`, of the kinds the summary reads. One range of the
 * `activity_project_last_at` index; `data` is left as JSON.
 */
export async function othersRows(
  db: Q,
  projectId: string,
  exceptUserId: string,
  since: number,
  until: number,
): Promise<AwayRow[]> {
  return db
    .selectFrom('activity')
    .select(['id', 'task_id', 'kind', 'subject', 'user_id', 'last_at', 'data'])
    .where('project_id', '=', projectId)
    .where('last_at', '>', since)
    .where('last_at', '<=', until)
    .where('kind', 'in', AWAY_KINDS)
    .where((eb) => eb.or([eb('user_id', 'is', null), eb('user_id', '!=', exceptUserId)]))
    .execute()
}
