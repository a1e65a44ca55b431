import type { TaskSearchText } from '@taskflow/board'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { Database } from '../db/schema.js'

type Q = Kysely<Database> | Transaction<Database>

const CHUNK = 500

/**
 * Writes the searchable text of these tasks: live ones inserted or updated (only when their
 * text changed, so a move does not churn the FTS index), trashed and `missing` ones
 * removed. Call inside the projection's transaction: the index moves with the report rows.
 */
export async function writeSearchDocs(
  db: Q,
  projectId: string,
  rows: readonly TaskSearchText[],
  missing: readonly string[],
): Promise<void> {
  const gone = [...missing]
  for (const r of rows) {
    if (r.deleted) {
      gone.push(r.taskId)
      continue
    }
    const text = {
      title: r.title,
      description: r.description,
      comments: r.comments,
      checklist: r.checklist,
      labels: r.labels,
    }
    await db
      .insertInto('search_docs')
      .values({ project_id: projectId, task_id: r.taskId, ...text })
      .onConflict((oc) =>
        oc
          .columns(['project_id', 'task_id'])
          .doUpdateSet(text)
          .where(({ eb, or, ref }) =>
            or(
              (Object.keys(text) as (keyof typeof text)[]).map((k) =>
                eb(ref(`search_docs.${k}`), 'is not', ref(`excluded.${k}`)),
              ),
            ),
          ),
      )
      .execute()
  }
  for (let i = 0; i < gone.length; i += CHUNK) {
    await db
      .deleteFrom('search_docs')
      .where('project_id', '=', projectId)
      .where('task_id', 'in', gone.slice(i, i + CHUNK))
      .execute()
  }
}

/** Replaces a project's whole search text (rebuild, backfill). */
export async function replaceSearchDocs(
  db: Q,
  projectId: string,
  rows: readonly TaskSearchText[],
): Promise<void> {
  await db.deleteFrom('search_docs').where('project_id', '=', projectId).execute()
  await writeSearchDocs(db, projectId, rows, [])
}

export interface SearchHit {
  projectId: string
  projectName: string
  taskId: string
  title: string
  snippet: string
  /** bm25: lower is better. */
  rank: number
}

/**
 * Tasks matching an FTS5 `match` expression (built by `toMatchExpression`, never raw user
 * text) in `projectIds`, best first. Titles weigh most, then labels, then the rest.
 */
export async function searchDocs(
  db: Q,
  match: string,
  projectIds: readonly string[],
  limit: number,
  marks: { start: string; end: string },
): Promise<SearchHit[]> {
  if (projectIds.length === 0) return []
  const rows = await sql<{
    project_id: string
    project_name: string
    task_id: string
    title: string
    snippet: string
    rank: number
  }>`
    SELECT d.project_id, p.name AS project_name, d.task_id, d.title,
           snippet(search_fts, -1, ${marks.start}, ${marks.end}, '…', 16) AS snippet,
           bm25(search_fts, 8.0, 2.0, 1.0, 1.0, 4.0) AS rank
    FROM search_fts
    JOIN search_docs d ON d.id = search_fts.rowid
    JOIN projects p ON p.id = d.project_id
    WHERE search_fts MATCH ${match}
      AND d.project_id IN (${sql.join(projectIds)})
    ORDER BY rank
    LIMIT ${limit}
  `.execute(db)
  return rows.rows.map((r) => ({
    projectId: r.project_id,
    projectName: r.project_name,
    taskId: r.task_id,
    title: r.title,
    snippet: r.snippet,
    rank: r.rank,
  }))
}
