import type { TaskSearchText } from '@taskflow/board'
import { type Kysely, sql, type Transaction } from 'kysely'
import { dialectOf } from '../db/database.js'
import type { Database } from '../db/schema.js'
import { fts5Expression } from './fts-query.js'
import { searchDocsPostgres } from './search-postgres.js'

export type Q = Kysely<Database> | Transaction<Database>

const CHUNK = 500
/** Tasks per multi-row upsert: 8 parameters a row stays far below both dialects' limits. */
const WRITE_CHUNK = 200
const TEXT_FIELDS = ['title', 'description', 'comments', 'checklist', 'labels'] as const

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
  // SQLite's IS NOT compares any two values null-safely; Postgres spells it IS DISTINCT FROM.
  const differs = dialectOf(db) === 'postgres' ? 'is distinct from' : 'is not'
  const scope = scopeToken(projectId)
  // One multi-row statement per chunk (not one per task); a task listed twice: its last row.
  const live = new Map<string, TaskSearchText>()
  for (const r of rows) {
    live.delete(r.taskId)
    if (r.deleted) gone.push(r.taskId)
    else live.set(r.taskId, r)
  }
  const goneSet = new Set(gone)
  const values = [...live.values()]
    .filter((r) => !goneSet.has(r.taskId))
    .map((r) => ({
      project_id: projectId,
      task_id: r.taskId,
      scope,
      title: r.title,
      description: r.description,
      comments: r.comments,
      checklist: r.checklist,
      labels: r.labels,
    }))
  for (let i = 0; i < values.length; i += WRITE_CHUNK) {
    await db
      .insertInto('search_docs')
      .values(values.slice(i, i + WRITE_CHUNK))
      .onConflict((oc) =>
        oc
          .columns(['project_id', 'task_id'])
          .doUpdateSet((eb) => ({
            title: eb.ref('excluded.title'),
            description: eb.ref('excluded.description'),
            comments: eb.ref('excluded.comments'),
            checklist: eb.ref('excluded.checklist'),
            labels: eb.ref('excluded.labels'),
          }))
          .where(({ eb, or, ref }) =>
            or(TEXT_FIELDS.map((k) => eb(ref(`search_docs.${k}`), differs, ref(`excluded.${k}`)))),
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

/** A project as one FTS token: 'p' and the hex digits of its id. */
export function scopeToken(projectId: string): string {
  return `p${projectId.replace(/[^0-9a-fA-F]/g, '').toLowerCase()}`
}

/** Text columns of `search_fts` (user words match only these, never `scope`). */
const TEXT_COLUMNS = '{title description comments checklist labels}'

/**
 * Matches ranked per query, newest first: a query that matches more tasks than this ranks
 * the most recently written ones. Ranking every match of a two-letter prefix over 100,000
 * tasks takes 100+ ms; this bound keeps every query's work bounded (docs/api.md, "Search").
 */
export const MAX_RANKED_MATCHES = 500

/**
 * Up to this many projects are filtered inside the FTS query (their scope tokens' postings
 * intersected with the words'); more are filtered on the matches (cheap when the caller
 * reads most projects, the case with many).
 */
const MAX_SCOPE_TOKENS = 20

export interface SearchHit {
  projectId: string
  projectName: string
  taskId: string
  title: string
  snippet: string
  /** Lower is better: bm25 on SQLite, minus ts_rank on Postgres. */
  rank: number
}

/**
 * Tasks matching all of `words` (from `queryWords`, never raw user text), each as a prefix,
 * in `projectIds`, best first. Titles weigh most, then labels, then the rest. Snippets are
 * made for the answered rows only. FTS5 on SQLite, tsvector and GIN on Postgres.
 */
export async function searchDocs(
  db: Q,
  words: readonly string[],
  projectIds: readonly string[],
  limit: number,
  marks: { start: string; end: string },
): Promise<SearchHit[]> {
  if (projectIds.length === 0) return []
  if (dialectOf(db) === 'postgres') {
    return searchDocsPostgres(db, words, projectIds, limit, marks, MAX_RANKED_MATCHES)
  }
  return searchDocsFts5(db, fts5Expression(words), projectIds, limit, marks)
}

/** FTS5: `words` is a MATCH expression built by `fts5Expression`. */
async function searchDocsFts5(
  db: Q,
  words: string,
  projectIds: readonly string[],
  limit: number,
  marks: { start: string; end: string },
): Promise<SearchHit[]> {
  const textMatch = `${TEXT_COLUMNS} : (${words})`
  const scoped = projectIds.length <= MAX_SCOPE_TOKENS
  const match = scoped
    ? `{scope} : (${projectIds.map((id) => `"${scopeToken(id)}"`).join(' OR ')}) AND ${textMatch}`
    : textMatch
  const filter = scoped ? sql`` : sql`AND d.project_id IN (${sql.join(projectIds)})`
  const best = await sql<{ id: number; rank: number }>`
    SELECT c.id, c.rank FROM (
      SELECT search_fts.rowid AS id, bm25(search_fts, 8.0, 2.0, 1.0, 1.0, 4.0, 0.0) AS rank
      FROM search_fts
      JOIN search_docs d ON d.id = search_fts.rowid
      WHERE search_fts MATCH ${match} ${filter}
      ORDER BY search_fts.rowid DESC
      LIMIT ${MAX_RANKED_MATCHES}
    ) c
    ORDER BY c.rank, c.id DESC
    LIMIT ${limit}
  `.execute(db)
  if (best.rows.length === 0) return []
  const rankOf = new Map(best.rows.map((r) => [r.id, r.rank]))
  const rows = await sql<{
    id: number
    project_id: string
    project_name: string
    task_id: string
    title: string
    snippet: string
  }>`
    SELECT d.id, d.project_id, p.name AS project_name, d.task_id, d.title,
           snippet(search_fts, -1, ${marks.start}, ${marks.end}, '…', 16) AS snippet
    FROM search_fts
    JOIN search_docs d ON d.id = search_fts.rowid
    JOIN projects p ON p.id = d.project_id
    WHERE search_fts MATCH ${textMatch}
      AND search_fts.rowid IN (${sql.join([...rankOf.keys()])})
  `.execute(db)
  // SQLite may probe an IN list on an FTS table more than once: keep one row per task.
  const unique = new Map(rows.rows.map((r) => [r.id, r]))
  return [...unique.values()]
    .map((r) => ({
      projectId: r.project_id,
      projectName: r.project_name,
      taskId: r.task_id,
      title: r.title,
      snippet: r.snippet,
      rank: rankOf.get(r.id)!,
    }))
    .sort((a, b) => a.rank - b.rank)
}
