import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/schema.js'
import type { AwayEntry } from './away-summary.js'

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
 * Activity entries of a project whose last edit is in (since, until], by anyone but
 * `exceptUserId`, oldest first. Reads the `activity_project_last_at` index.
 */
export async function othersEntries(
  db: Q,
  projectId: string,
  exceptUserId: string,
  since: number,
  until: number,
): Promise<AwayEntry[]> {
  // Sorted here, not by `ORDER BY id`: SQLite would then walk the whole table in id order
  // instead of the (project_id, last_at) range.
  const rows = await db
    .selectFrom('activity')
    .select(['id', 'task_id', 'kind', 'subject', 'user_id', 'last_at', 'data'])
    .where('project_id', '=', projectId)
    .where('last_at', '>', since)
    .where('last_at', '<=', until)
    .where((eb) => eb.or([eb('user_id', 'is', null), eb('user_id', '!=', exceptUserId)]))
    .execute()
  rows.sort((a, b) => a.id - b.id)
  return rows.map((r) => ({
    task_id: r.task_id,
    kind: r.kind,
    subject: r.subject,
    user_id: r.user_id,
    last_at: r.last_at,
    data: JSON.parse(r.data) as Record<string, unknown>,
  }))
}
