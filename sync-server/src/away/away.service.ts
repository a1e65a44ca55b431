import { type AwaySummary, ERROR_CODES, MAX_AWAY_TASKS } from '@taskflow/api'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import { AppError } from '../http/app-error.js'
import { findVisit, othersRowsOf, othersTasks, recordVisit } from './away.repository.js'
import { summarizeLatest } from './away-summary.js'

export type AwayService = ReturnType<typeof createAwayService>

/** Last visits and "while you were away" summaries (docs/api.md). Any member, viewers included. */
export function createAwayService(db: Db, now: Clock) {
  const iso = (ms: number) => new Date(ms).toISOString()
  return {
    async visit(projectId: string, userId: string): Promise<{ visitedAt: string }> {
      return { visitedAt: iso(await recordVisit(db, userId, projectId, now())) }
    },

    async summary(
      projectId: string,
      userId: string,
      q: { since?: string; until?: string },
    ): Promise<AwaySummary> {
      const current = now()
      // A device clock slightly ahead must not ask for the future: clamp to now.
      const until = Math.min(q.until === undefined ? current : Date.parse(q.until), current)
      const lastVisit = await findVisit(db, userId, projectId)
      const since = q.since === undefined ? lastVisit : Date.parse(q.since)
      if (since !== null && since > until) {
        throw new AppError(400, ERROR_CODES.validation, 'since must not be after until')
      }
      const base = {
        since: since === null ? null : iso(since),
        until: iso(until),
        lastVisitAt: lastVisit === null ? null : iso(lastVisit),
      }
      // Never visited: everything would be "new"; the board itself is the news.
      if (since === null) return { ...base, tasks: [], moreTasks: 0, users: [] }
      // The changed tasks from the index alone, then the rows of only those listed.
      const { tasks, more } = await summarizeLatest(
        await othersTasks(db, projectId, userId, since, until),
        MAX_AWAY_TASKS,
        (ids) => othersRowsOf(db, projectId, userId, since, until, ids),
      )
      const ids = [...new Set(tasks.flatMap((t) => t.userIds))]
      const names = new Map(
        ids.length === 0
          ? []
          : (
              await db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute()
            ).map((u) => [u.id, u.name]),
      )
      return {
        ...base,
        tasks,
        moreTasks: more,
        users: ids.map((id) => ({ id, name: names.get(id) ?? null })),
      }
    },
  }
}
