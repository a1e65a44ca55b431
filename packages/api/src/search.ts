import { z } from 'zod'

/**
 * Full-text search over the tasks of the projects the caller can read (`GET /api/v1/search`,
 * docs/api.md "Search"). The app searches the boards on its device itself and asks the
 * server only for the rest.
 * @example await fetch(`/api/v1/search?q=${encodeURIComponent('invoice exp')}&limit=10`)
 */

/** Longest query, in characters (after trimming). Longer ones answer 400. */
export const MAX_SEARCH_QUERY = 200
export const DEFAULT_SEARCH_LIMIT = 20
export const MAX_SEARCH_LIMIT = 100

/**
 * Matched words in a `snippet` are wrapped in these two characters (STX, ETX), which
 * indexed text never holds. Split with `splitSnippet` and render each part as text: a
 * snippet is never HTML.
 */
export const SNIPPET_MARK_START = '\u0002'
export const SNIPPET_MARK_END = '\u0003'

/** `GET /api/v1/search` query. `q` is plain words: no operators, every word must match, the last as a prefix. */
export const SearchQuerySchema = z
  .object({
    q: z
      .string()
      .trim()
      .min(1, 'q must not be empty')
      .max(MAX_SEARCH_QUERY, `q must be at most ${MAX_SEARCH_QUERY} characters`),
    projectId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(MAX_SEARCH_LIMIT).optional(),
  })
  .strict()
export type SearchQuery = z.input<typeof SearchQuerySchema>

/** One matching task. `score`: higher is better, comparable within one answer only. */
export const SearchResultSchema = z.object({
  projectId: z.uuid(),
  projectName: z.string(),
  taskId: z.string(),
  title: z.string(),
  /** Plain text around the best match, matches wrapped in SNIPPET_MARK_START/END. */
  snippet: z.string(),
  score: z.number(),
})
export type SearchResult = z.infer<typeof SearchResultSchema>

export const SearchResponseSchema = z.object({ results: z.array(SearchResultSchema) })
export type SearchResponse = z.infer<typeof SearchResponseSchema>

/**
 * A snippet as text parts, `match` on the highlighted ones; unbalanced markers are dropped.
 * @example splitSnippet('the \u0002inv\u0003oice') // [{ text: 'the ', match: false }, { text: 'inv', match: true }, { text: 'oice', match: false }]
 */
export function splitSnippet(snippet: string): { text: string; match: boolean }[] {
  const parts: { text: string; match: boolean }[] = []
  let match = false
  let current = ''
  for (const ch of snippet) {
    if (ch === SNIPPET_MARK_START || ch === SNIPPET_MARK_END) {
      if (current) parts.push({ text: current, match })
      current = ''
      match = ch === SNIPPET_MARK_START
      continue
    }
    current += ch
  }
  if (current) parts.push({ text: current, match })
  return parts
}
