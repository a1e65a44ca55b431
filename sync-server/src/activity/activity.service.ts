import type { Db } from '../db/database.js'
import { type ActivityRow, listActivity } from './activity.repository.js'

export interface ActivityEntry {
  id: number
  taskId: string
  kind: string
  /** Field name, checklist item id or comment id; null when the kind needs none. */
  subject: string | null
  userId: string | null
  /** The user's current name (null if unknown or the account was deleted). */
  userName: string | null
  /** When the (first) change reached the server; a grouped entry ends at `lastAt`. */
  at: string
  lastAt: string
  data: Record<string, unknown>
}

export interface ActivityPage {
  entries: ActivityEntry[]
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: string | null
}

export type ActivityService = ReturnType<typeof createActivityService>

export function createActivityService(db: Db) {
  return {
    /** A project's activity, newest first. Any member, viewers included. */
    async list(
      projectId: string,
      q: { taskId?: string; userId?: string; before?: number; limit: number },
    ): Promise<ActivityPage> {
      const rows = await listActivity(db, projectId, { ...q, limit: q.limit + 1 })
      const page = rows.slice(0, q.limit)
      const ids = [...new Set(page.map((r) => r.user_id).filter((u): u is string => u !== null))]
      const names = new Map(
        ids.length === 0
          ? []
          : (
              await db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute()
            ).map((u) => [u.id, u.name]),
      )
      return {
        entries: page.map((r) => toEntry(r, names)),
        nextBefore: rows.length > q.limit ? String(page.at(-1)!.id) : null,
      }
    },
  }
}

function toEntry(r: ActivityRow, names: Map<string, string>): ActivityEntry {
  return {
    id: r.id,
    taskId: r.task_id,
    kind: r.kind,
    subject: r.subject === '' ? null : r.subject,
    userId: r.user_id,
    userName: r.user_id ? (names.get(r.user_id) ?? null) : null,
    at: new Date(r.at).toISOString(),
    lastAt: new Date(r.last_at).toISOString(),
    data: JSON.parse(r.data),
  }
}
