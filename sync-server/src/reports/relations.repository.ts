import type { Relation } from '@taskflow/board'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/schema.js'

type Q = Kysely<Database> | Transaction<Database>

// Six values per row: well under SQLite's and Postgres's bound-parameter limits.
const CHUNK = 500

/**
 * Replaces a project's projected relations with `relations` (every relation of the board
 * whose two tasks exist, R6). A board holds a few thousand at most, so a whole replace
 * after a relation edit is simpler than a diff and cannot drift. Call inside a transaction.
 */
export async function replaceRelations(
  db: Q,
  projectId: string,
  relations: readonly Relation[],
): Promise<void> {
  await db.deleteFrom('task_relations').where('project_id', '=', projectId).execute()
  for (let i = 0; i < relations.length; i += CHUNK) {
    await db
      .insertInto('task_relations')
      .values(
        relations.slice(i, i + CHUNK).map((r) => ({
          project_id: projectId,
          from_task_id: r.fromId,
          type: r.type,
          to_task_id: r.toId,
          created_by: r.createdBy,
          created_at: r.createdAt,
        })),
      )
      .execute()
  }
}

/** A project's projected relations, in key order (tests, reports). */
export async function listProjectedRelations(db: Q, projectId: string) {
  return db
    .selectFrom('task_relations')
    .select(['from_task_id', 'type', 'to_task_id', 'created_by', 'created_at'])
    .where('project_id', '=', projectId)
    .orderBy('from_task_id')
    .orderBy('type')
    .orderBy('to_task_id')
    .execute()
}
