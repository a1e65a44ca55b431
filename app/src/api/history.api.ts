import {
  BoardResponseSchema,
  type HistoryChangesPage,
  HistoryChangesPageSchema,
  type HistoryStep,
  type RestoreBody,
  RestoreResultSchema,
  type TaskHistoryPage,
  TaskHistoryPageSchema,
  type TaskVersion,
} from '@taskflow/api'
import { apiRequest } from './client'

/** Board history (docs/api.md "History"); shapes from `@taskflow/api`. */
export type { HistoryStep, RestoreBody, RestoreResult, TaskVersion } from '@taskflow/api'

const projectPath = (id: string) => `/projects/${encodeURIComponent(id)}`

/** The board as it was at `at` (read-only: history is never edited, only restored). */
export const getBoardAt = (projectId: string, at: string) =>
  apiRequest(`${projectPath(projectId)}/board?at=${encodeURIComponent(at)}`, {
    schema: BoardResponseSchema,
  })

/** At most this many steps are loaded into the scrubber (the newest ones). */
export const MAX_STEPS = 2000

/** Change steps from `from` (default: the start of history) to now, oldest first. */
export async function getHistorySteps(
  projectId: string,
  from?: string,
): Promise<{ steps: HistoryStep[]; historyStart: string }> {
  const steps: HistoryStep[] = []
  let cursor: string | null = null
  let historyStart = ''
  do {
    const q = new URLSearchParams()
    if (from) q.set('from', from)
    if (cursor) q.set('cursor', cursor)
    const page: HistoryChangesPage = await apiRequest(
      `${projectPath(projectId)}/history/changes?${q}`,
      {
        schema: HistoryChangesPageSchema,
      },
    )
    steps.push(...page.steps)
    historyStart = page.historyStart
    cursor = page.nextCursor
  } while (cursor !== null && steps.length < MAX_STEPS * 5)
  return { steps: steps.slice(-MAX_STEPS), historyStart }
}

/** A task's versions, newest first (every page). */
export async function getTaskHistory(projectId: string, taskId: string): Promise<TaskVersion[]> {
  const versions: TaskVersion[] = []
  let cursor: string | null = null
  do {
    const q: string = cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''
    const page: TaskHistoryPage = await apiRequest(
      `${projectPath(projectId)}/tasks/${encodeURIComponent(taskId)}/history${q}`,
      { schema: TaskHistoryPageSchema },
    )
    versions.push(...page.versions)
    cursor = page.nextCursor
  } while (cursor !== null && versions.length < 2000)
  return versions
}

/** Restores as a new edit by me (members only); the live board receives it through sync. */
export const restoreFromHistory = (projectId: string, body: RestoreBody) =>
  apiRequest(`${projectPath(projectId)}/history/restore`, {
    method: 'POST',
    body,
    schema: RestoreResultSchema,
  })
