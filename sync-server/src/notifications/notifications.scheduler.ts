import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import type { Logger } from '../logger.js'
import type { Draft, Notifier } from './notifier.js'

const DAY = 86_400_000
const isoDate = (t: number) => new Date(t).toISOString().slice(0, 10)

/**
 * Notifies assignees (members only) of open tasks due within 24 hours or overdue, once per
 * task and due date: a due date counts from 00:00 UTC of that day. Reads the reporting
 * projection (ARCHITECTURE rule 4), not documents.
 */
export async function notifyDueTasks(db: Db, notifier: Notifier, now: number): Promise<void> {
  const rows = await db
    .selectFrom('report_task_assignees as a')
    .innerJoin('report_tasks as t', (j) =>
      j.onRef('t.project_id', '=', 'a.project_id').onRef('t.task_id', '=', 'a.task_id'),
    )
    .innerJoin('project_members as m', (j) =>
      j.onRef('m.project_id', '=', 'a.project_id').onRef('m.user_id', '=', 'a.user_id'),
    )
    .innerJoin('projects as p', 'p.id', 'a.project_id')
    .select(['a.project_id', 'a.task_id', 'a.user_id', 't.title', 't.due_date', 'p.name'])
    .where('t.deleted_at', 'is', null)
    .where('t.category', '!=', 'done')
    .where('p.archived_at', 'is', null)
    .where('t.due_date', 'is not', null)
    .where('t.due_date', '<=', isoDate(now + DAY))
    // Skip what was already notified without building drafts for it.
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('notifications as n')
            .select('n.id')
            .whereRef('n.user_id', '=', 'a.user_id')
            .where(
              'n.event_key',
              '=',
              sql<string>`'due:' || a.project_id || ':' || a.task_id || ':' || t.due_date`,
            ),
        ),
      ),
    )
    .execute()
  if (rows.length === 0) return
  const today = isoDate(now)
  const drafts: Draft[] = rows.map((r) => ({
    userId: r.user_id,
    projectId: r.project_id,
    taskId: r.task_id,
    kind: r.due_date! < today ? 'overdue' : 'due_soon',
    actorId: null,
    eventKey: `due:${r.project_id}:${r.task_id}:${r.due_date}`,
    data: { projectName: r.name, taskTitle: r.title, actorName: null, dueDate: r.due_date },
    at: now,
  }))
  const ids = await db.transaction().execute((trx) => notifier.insert(trx, drafts))
  notifier.published(ids)
}

export interface SchedulerOptions {
  db: Db
  notifier: Notifier
  logger: Logger
  now: () => number
  /** How often to look for due tasks and digests (ms). */
  intervalMs: number
}

/** Runs due checks, digests and pending mail on an interval; `tick()` runs one round now. */
export class NotificationScheduler {
  #timer: NodeJS.Timeout | undefined
  #running: Promise<void> | undefined

  constructor(private readonly opts: SchedulerOptions) {}

  start(): void {
    this.#timer = setInterval(() => void this.tick(), this.opts.intervalMs)
    this.#timer.unref()
  }

  stop(): Promise<void> {
    clearInterval(this.#timer)
    return this.#running ?? Promise.resolve()
  }

  /** One round; concurrent calls share it. Never rejects. */
  tick(): Promise<void> {
    this.#running ??= (async () => {
      const { db, notifier, now, logger } = this.opts
      try {
        await notifyDueTasks(db, notifier, now())
        await notifier.sendDigests(now())
        await notifier.deliverPending()
      } catch (err) {
        logger.error('notification scheduler failed', { err: String(err) })
      } finally {
        this.#running = undefined
      }
    })()
    return this.#running
  }
}
