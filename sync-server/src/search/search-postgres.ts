import { sql } from 'kysely'
import { tsQueryText } from './fts-query.js'
import { snippetFromHeadline } from './headline-snippet.js'
import type { Q, SearchHit } from './search.repository.js'

/**
 * Weights of ts_rank for D, C, B, A (comments and checklist, description, labels, title):
 * the proportions of bm25's weights on SQLite (1, 2, 4, 8).
 */
const WEIGHTS = '{0.125, 0.25, 0.5, 1.0}'

/**
 * `searchDocs` on Postgres: the GIN index over `search_docs.search_vector` (migration
 * 2026_12_06_020000) finds the matches, the newest `maxRanked` of them are ranked by
 * ts_rank, and the answered rows get a snippet from the field that matches best (as FTS5's
 * snippet picks its column). The tsquery text is built from quoted words only and passed as
 * a parameter; `taskflow_fold` folds its accents as the index's were.
 */
export async function searchDocsPostgres(
  db: Q,
  words: readonly string[],
  projectIds: readonly string[],
  limit: number,
  marks: { start: string; end: string },
  maxRanked: number,
): Promise<SearchHit[]> {
  const all = sql`to_tsquery('simple', taskflow_fold(${tsQueryText(words, '&')}))`
  const any = sql`to_tsquery('simple', taskflow_fold(${tsQueryText(words, '|')}))`
  // Ranked as a number by the caller: lower is better, as bm25 on SQLite.
  const best = await sql<{ id: number; rank: number }>`
    WITH m AS (
      SELECT d.id FROM search_docs d
      WHERE d.search_vector @@ ${all} AND d.project_id IN (${sql.join(projectIds)})
      ORDER BY d.id DESC
      LIMIT ${maxRanked}
    )
    SELECT d.id, -ts_rank(${WEIGHTS}::float4[], d.search_vector, ${all}) AS rank
    FROM m JOIN search_docs d ON d.id = m.id
    ORDER BY rank, d.id DESC
    LIMIT ${limit}
  `.execute(db)
  if (best.rows.length === 0) return []
  const rankOf = new Map(best.rows.map((r) => [Number(r.id), Number(r.rank)]))
  const options = `StartSel="${marks.start}", StopSel="${marks.end}", MaxWords=16, MinWords=8, ShortWord=0`
  const rows = await sql<{
    id: number
    project_id: string
    project_name: string
    task_id: string
    title: string
    stored: string
    folded: string
    headline: string
  }>`
    SELECT d.id, d.project_id, p.name AS project_name, d.task_id, d.title,
           f.stored, taskflow_words(f.stored) AS folded,
           ts_headline('simple', taskflow_words(f.stored), ${all}, ${options}) AS headline
    FROM search_docs d
    JOIN projects p ON p.id = d.project_id
    CROSS JOIN LATERAL (
      SELECT c.stored FROM (VALUES
        (1, d.title), (2, d.description), (3, d.comments), (4, d.checklist), (5, d.labels)
      ) AS c(k, stored)
      ORDER BY ts_rank(to_tsvector('simple', taskflow_words(c.stored)), ${any}) DESC, c.k
      LIMIT 1
    ) f
    WHERE d.id IN (${sql.join([...rankOf.keys()])})
  `.execute(db)
  return rows.rows
    .map((r) => ({
      projectId: r.project_id,
      projectName: r.project_name,
      taskId: r.task_id,
      title: r.title,
      snippet: snippetFromHeadline(r.stored, r.folded, r.headline, marks),
      rank: rankOf.get(Number(r.id))!,
    }))
    .sort((a, b) => a.rank - b.rank)
}
