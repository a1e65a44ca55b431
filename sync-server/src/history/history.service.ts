import {
  type BoardResponse,
  ERROR_CODES,
  type HistoryChangesPage,
  type HistoryChangesQuery,
  MAX_HISTORY_PAGE,
  type RestoreBody,
  type RestoreResult,
  type TaskHistoryPage,
  type TaskHistoryQuery,
  type TaskVersion,
} from '@taskflow/api'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import { AppError } from '../http/app-error.js'
import { listMembers } from '../projects/members.repository.js'
import type { SyncControl } from '../sync/access.js'
import { createLiveBoard } from '../tasks/live-board.js'
import { toBoard } from '../tasks/tasks.presenter.js'
import { docAt, type HistoryWindow, historyWindow } from './board-at.js'
import { loadBaseState, logRows } from './history.repository.js'
import { HistoryIndex } from './history-index.js'
import {
  type RestoreOutcome,
  restoreBoardFrom,
  restoreColumnFrom,
  restoreTaskFrom,
} from './restore.js'

export interface HistoryDeps {
  db: Db
  now: Clock
  /** TASKFLOW_HISTORY_DAYS; 0: every history read answers 400. */
  days: number
  getSync: () => SyncControl | undefined
}

/** Documents whose history index is kept in memory (the most recently read). */
const INDEXES_KEPT = 4
/** Log rows replayed into an index between two turns of the event loop. */
const INDEX_BATCH_ROWS = 500

const iso = (ms: number) => new Date(ms).toISOString()
const bad = (message: string) => new AppError(400, ERROR_CODES.validation, message)

/**
 * Board history (issue 18, docs/api.md "History"): reads rebuild the past from the stored
 * checkpoints and log (never from a live document's tombstones: clients and rooms keep
 * gc on); a restore is a new edit on the live board through the task API's path.
 */
export function createHistoryService(deps: HistoryDeps) {
  const { db, now } = deps
  const indexes = new Map<string, Promise<HistoryIndex>>()

  const { edit } = createLiveBoard(deps)

  async function window(projectId: string): Promise<HistoryWindow> {
    if (deps.days === 0) throw bad('Board history is off on this server (TASKFLOW_HISTORY_DAYS=0)')
    const win = await historyWindow(db, projectId, now(), deps.days)
    if (!win) throw new AppError(404, ERROR_CODES.notFound, 'The board has no stored state')
    return win
  }

  /** A time of the request as ms, inside the window (400 otherwise). */
  function instant(value: string, name: string, win: HistoryWindow): number {
    const ms = Date.parse(value)
    if (Number.isNaN(ms)) throw bad(`Invalid query: ${name}: not a time`)
    if (ms > now()) throw bad(`${name} is in the future`)
    if (ms < win.start) throw bad(`${name} is before the start of history (${iso(win.start)})`)
    return ms
  }

  /**
   * The document's index, caught up with the stored log. Built from the oldest base (again
   * when retention moved it); one build or catch-up at a time per document; rows are
   * replayed in batches with the event loop free in between.
   */
  function indexOf(projectId: string, win: HistoryWindow): Promise<HistoryIndex> {
    const prev = indexes.get(projectId)
    const next = (async () => {
      let idx = await prev?.catch(() => undefined)
      const oldest = win.bases[0]!
      if (!idx || idx.base.seq !== oldest.seq || idx.base.kind !== oldest.kind) {
        idx?.destroy()
        idx = new HistoryIndex(oldest, await loadBaseState(db, projectId, oldest))
      }
      for (;;) {
        const rows = await logRows(db, projectId, idx.lastSeq, null, null, INDEX_BATCH_ROWS)
        for (const r of rows) idx.apply(r)
        if (rows.length < INDEX_BATCH_ROWS) break
        await new Promise((resolve) => setImmediate(resolve))
      }
      return idx
    })()
    indexes.delete(projectId)
    indexes.set(projectId, next)
    next.catch(() => {
      if (indexes.get(projectId) === next) indexes.delete(projectId)
    })
    while (indexes.size > INDEXES_KEPT) {
      const [oldestId, oldest] = indexes.entries().next().value!
      indexes.delete(oldestId)
      void oldest.then(
        (i) => i.destroy(),
        () => undefined,
      )
    }
    return next
  }

  return {
    async boardAt(projectId: string, at: string): Promise<BoardResponse> {
      const win = await window(projectId)
      const t = instant(at, 'at', win)
      const doc = await docAt(db, projectId, win, t)
      try {
        return toBoard(doc, await listMembers(db, projectId))
      } finally {
        doc.destroy()
      }
    },

    async taskHistory(
      projectId: string,
      taskId: string,
      q: TaskHistoryQuery,
    ): Promise<TaskHistoryPage> {
      const win = await window(projectId)
      const idx = await indexOf(projectId, win)
      const list = idx.versions.get(taskId)
      if (!list)
        throw new AppError(404, ERROR_CODES.notFound, 'Task not found in the board’s history')
      const limit = Number(q.limit ?? MAX_HISTORY_PAGE)
      // Newest first; a cursor is the position of the last one given, counted from the oldest,
      // so versions added meanwhile do not shift later pages.
      let end = list.length
      if (q.cursor !== undefined) {
        const n = /^\d{1,9}$/.test(q.cursor) ? Number(q.cursor) : Number.NaN
        if (!(n >= 0 && n <= list.length))
          throw bad('Invalid query: cursor: not a nextCursor value')
        end = n
      }
      const from = Math.max(0, end - limit)
      const versions = list
        .slice(from, end)
        .reverse()
        .map(
          (v) =>
            ({
              seq: v.seq,
              at: iso(v.at),
              userId: v.userId,
              field: v.field,
              value: v.value,
            }) as TaskVersion,
        )
      return { versions, nextCursor: from > 0 ? String(from) : null, historyStart: iso(win.start) }
    },

    async changes(projectId: string, q: HistoryChangesQuery): Promise<HistoryChangesPage> {
      const win = await window(projectId)
      const from = q.from === undefined ? win.start : instant(q.from, 'from', win)
      const to = q.to === undefined ? now() : instant(q.to, 'to', win)
      if (from > to) throw bad('from is after to')
      let afterSeq = 0
      if (q.cursor !== undefined) {
        if (!/^\d{1,12}$/.test(q.cursor)) throw bad('Invalid query: cursor: not a nextCursor value')
        afterSeq = Number(q.cursor)
      }
      const limit = Number(q.limit ?? MAX_HISTORY_PAGE)
      const idx = await indexOf(projectId, win)
      const steps: HistoryChangesPage['steps'] = []
      let more = false
      for (const s of idx.steps) {
        if (s.fromSeq <= afterSeq || s.at < from) continue
        if (s.startedAt > to) break
        if (steps.length === limit) {
          more = true
          break
        }
        steps.push({
          fromSeq: s.fromSeq,
          toSeq: s.toSeq,
          startedAt: iso(s.startedAt),
          at: iso(s.at),
          userId: s.userId,
          tasks: [...s.tasks].map(([taskId, fields]) => ({
            taskId,
            fields: [...fields] as HistoryChangesPage['steps'][number]['tasks'][number]['fields'],
          })),
          columnIds: [...s.columnIds],
          board: s.board,
        })
      }
      const last = steps[steps.length - 1]
      return {
        steps,
        nextCursor: more && last ? String(last.toSeq) : null,
        historyStart: iso(win.start),
      }
    },

    async restore(projectId: string, userId: string, body: RestoreBody): Promise<RestoreResult> {
      const win = await window(projectId)
      const t = instant(body.at, 'at', win)
      const past = await docAt(db, projectId, win, t)
      const out: RestoreOutcome = { taskIds: new Set(), columnIds: new Set() }
      let changed: boolean
      try {
        ;({ changed } = await edit(projectId, userId, (doc, ctx) => {
          if (body.board) return restoreBoardFrom(doc, past, ctx, out)
          if (body.columnId !== undefined) {
            return restoreColumnFrom(doc, past, body.columnId, true, ctx, out)
          }
          return restoreTaskFrom(doc, past, body.taskId!, body.field, ctx, out)
        }))
      } finally {
        past.destroy()
      }
      return {
        at: iso(t),
        changed,
        taskIds: [...out.taskIds],
        columnIds: [...out.columnIds],
      }
    },
  }
}

export type HistoryService = ReturnType<typeof createHistoryService>
