import { stripUnsafeNameChars } from '@taskflow/board'
import type { Transaction } from 'kysely'
import type { BoardEvent } from '../activity/board-events.js'
import type { Database } from '../db/schema.js'
import type { EventSink } from '../derivation/consumer.js'
import type { Logger } from '../logger.js'
import { followersOf, memberIds, watchAllByDefault } from './notifications.repository.js'
import type { Draft, Notifier } from './notifier.js'

/**
 * Turns board events into notifications, inside the activity write's transaction, so a
 * notification exists exactly when its update's activity does. Event keys come from the
 * update's seq, so replaying the log or a client re-sending changes nothing.
 */
export class NotificationsSink implements EventSink {
  readonly #inserted = new Map<string, number[]>()

  constructor(
    private readonly notifier: Notifier,
    private readonly logger: Logger,
  ) {}

  async write(
    trx: Transaction<Database>,
    projectId: string,
    events: readonly BoardEvent[],
  ): Promise<void> {
    const members = await memberIds(trx, projectId)
    const project = await trx
      .selectFrom('projects')
      .select('name')
      .where('id', '=', projectId)
      .executeTakeFirst()
    const names = new Map<string, string>()
    const nameOf = async (userId: string | null) => {
      if (!userId) return null
      if (!names.has(userId)) {
        const u = await trx
          .selectFrom('users')
          .select('name')
          .where('id', '=', userId)
          .executeTakeFirst()
        names.set(userId, stripUnsafeNameChars(u?.name ?? ''))
      }
      return names.get(userId) || null
    }
    const drafts: Draft[] = []
    // Default watches go in multi-row statements (an update that created 10,000 tasks), written
    // before anything reads the followers.
    const watches: { taskId: string; userId: string; at: number }[] = []
    const watchByDefault = (taskId: string, userId: string, at: number) => {
      watches.push({ taskId, userId, at })
    }
    const followers = async (taskId: string) => {
      await watchAllByDefault(trx, projectId, watches.splice(0))
      return followersOf(trx, projectId, taskId)
    }
    for (const e of events) {
      const base = async (extra: Record<string, unknown> = {}) => ({
        projectId,
        taskId: e.taskId,
        actorId: e.userId,
        at: e.at,
        // Names from the board (and old rows) may hold what the board operations refuse.
        data: {
          projectName: stripUnsafeNameChars(project?.name ?? ''),
          taskTitle: stripUnsafeNameChars(e.title),
          actorName: await nameOf(e.userId),
          ...extra,
        },
      })
      const to = (users: Iterable<string>) => [...users].filter((u) => members.has(u))
      // Assigned at creation or later: the assignee watches the task and is told once.
      const assign = async (u: string) => {
        watchByDefault(e.taskId, u, e.at)
        drafts.push({
          ...(await base()),
          userId: u,
          kind: 'assigned',
          eventKey: `assigned:${e.seq}:${e.taskId}`,
        })
      }
      switch (e.kind) {
        case 'task_created': {
          // The sender of the creating update watches by default; so do assignees.
          if (e.userId && members.has(e.userId)) {
            watchByDefault(e.taskId, e.userId, e.at)
          }
          for (const u of to(e.data.assigneeIds)) await assign(u)
          break
        }
        case 'field_changed': {
          if (e.data.field === 'assignees') {
            for (const u of to(e.data.added)) await assign(u)
          } else if (e.data.field === 'description') {
            for (const u of to(e.data.mentionsAdded)) {
              drafts.push({
                ...(await base({ in: 'description' })),
                userId: u,
                kind: 'mentioned',
                eventKey: `mentioned:${e.seq}:${e.taskId}:description`,
              })
            }
          }
          break
        }
        case 'comment_added':
        case 'comment_mentions_added': {
          const extra = { commentId: e.data.commentId, excerpt: e.data.excerpt }
          const mentioned = new Set(to(e.data.mentions))
          for (const u of mentioned) {
            drafts.push({
              ...(await base({ ...extra, in: 'comment' })),
              userId: u,
              kind: 'mentioned',
              eventKey: `mentioned:${e.seq}:${e.taskId}:${e.data.commentId}`,
            })
          }
          if (e.kind === 'comment_mentions_added') break
          // Someone mentioned in the comment hears about it once, as a mention.
          for (const u of to(await followers(e.taskId))) {
            if (mentioned.has(u)) continue
            drafts.push({
              ...(await base(extra)),
              userId: u,
              kind: 'comment',
              eventKey: `comment:${e.seq}:${e.data.commentId}`,
            })
          }
          break
        }
        case 'task_moved': {
          if (e.data.toCategory !== 'done') break
          for (const u of to(await followers(e.taskId))) {
            drafts.push({
              ...(await base({
                columnName: e.data.toColumnName && stripUnsafeNameChars(e.data.toColumnName),
              })),
              userId: u,
              kind: 'done',
              eventKey: `done:${e.seq}:${e.taskId}`,
            })
          }
          break
        }
        default:
          break
      }
    }
    await watchAllByDefault(trx, projectId, watches)
    const ids = await this.notifier.insert(trx, drafts)
    if (ids.length > 0)
      this.#inserted.set(projectId, [...(this.#inserted.get(projectId) ?? []), ...ids])
  }

  afterCommit(projectId: string): void {
    const ids = this.#inserted.get(projectId)
    this.#inserted.delete(projectId)
    if (ids) this.notifier.published(ids)
    else this.logger.debug('no new notifications', { projectId })
  }
}
