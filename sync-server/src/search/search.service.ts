import {
  DEFAULT_SEARCH_LIMIT,
  ERROR_CODES,
  type SearchResponse,
  SNIPPET_MARK_END,
  SNIPPET_MARK_START,
} from '@taskflow/api'
import type { Db } from '../db/database.js'
import { AppError } from '../http/app-error.js'
import { requireProjectRole } from '../projects/project-access.js'
import { queryWords } from './fts-query.js'
import { searchDocs } from './search.repository.js'

export interface SearchInput {
  userId: string
  q: string
  projectId?: string
  limit?: number
  /** A project-limited API token's projects; null: every project of the user. */
  tokenProjects: readonly string[] | null
}

/**
 * Full-text search over the tasks of the projects a user can read (any role). Without
 * `projectId` it spans the user's active projects (archived ones are out of the way, as in
 * `/reports/me`); with one it searches that project, archived or not (archived projects
 * stay readable over REST), after the same role check as every project route.
 */
export function createSearchService(db: Db) {
  async function readableProjects(input: SearchInput): Promise<string[]> {
    if (input.projectId) {
      if (input.tokenProjects && !input.tokenProjects.includes(input.projectId)) {
        throw new AppError(404, ERROR_CODES.notFound, 'Project not found')
      }
      await requireProjectRole(db, input.projectId, input.userId, 'viewer')
      return [input.projectId]
    }
    const rows = await db
      .selectFrom('project_members as m')
      .innerJoin('projects as p', 'p.id', 'm.project_id')
      .select('p.id')
      .where('m.user_id', '=', input.userId)
      .where('p.archived_at', 'is', null)
      .execute()
    const ids = rows.map((r) => r.id)
    return input.tokenProjects ? ids.filter((id) => input.tokenProjects!.includes(id)) : ids
  }

  return {
    async search(input: SearchInput): Promise<SearchResponse> {
      const projectIds = await readableProjects(input)
      const words = queryWords(input.q)
      if (!words) return { results: [] }
      const hits = await searchDocs(db, words, projectIds, input.limit ?? DEFAULT_SEARCH_LIMIT, {
        start: SNIPPET_MARK_START,
        end: SNIPPET_MARK_END,
      })
      return {
        results: hits.map((h) => ({
          projectId: h.projectId,
          projectName: h.projectName,
          taskId: h.taskId,
          title: h.title,
          snippet: h.snippet,
          // The rank is lower for better (bm25 is negative): flip it so higher means better.
          score: -h.rank,
        })),
      }
    },
  }
}

export type SearchService = ReturnType<typeof createSearchService>
