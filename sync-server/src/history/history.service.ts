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
import { docAt, type HistoryWindow, historyWindow, type RebuiltDoc, seqAt } from './board-at.js'
import { applyBoardPatch, boardFromProjection, type ProjectedBoard } from './board-projection.js'
import { createHistoryDeriver, type HistoryDeriver } from './history-deriver.js'
import { boardRowsAt, readCursor, stepsPage, versionsOf } from './history-index.repository.js'
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
  /** Keeps the task-history index current (the server's, shared with its history consumer). */
  deriver?: HistoryDeriver
}

/**
 * Documents rebuilt for `?at=` kept for the next request (all boards together): a history
 * scrubber's next step replays only the rows between the two times.
 */
const REBUILT_KEPT = 2

const iso = (ms: number) => new Date(ms).toISOString()
const bad = (message: string) => new AppError(400, ERROR_CODES.validation, message)

/**
 * Board history (issue 18, docs/api.md "History"): reads rebuild the past from the stored
 * checkpoints and log (never from a live document's tombstones: clients and rooms keep
 * gc on); a restore is a new edit on the live board through the task API's path.
 */
export function createHistoryService(deps: HistoryDeps) {
  const { db, now } = deps
  const deriver = deps.deriver ?? createHistoryDeriver(deps)
  const rebuilt = new Map<string, RebuiltDoc>()

  /** Keeps the document last rebuilt for a board (one per board; checked out while in use). */
  function keepRebuilt(projectId: string, r: RebuiltDoc): void {
    rebuilt.get(projectId)?.doc.destroy()
    rebuilt.delete(projectId)
    rebuilt.set(projectId, r)
    while (rebuilt.size > REBUILT_KEPT) {
      const [id, old] = rebuilt.entries().next().value!
      rebuilt.delete(id)
      old.doc.destroy()
    }
  }

  const { edit } = createLiveBoard(deps)

  /** The board read as of `at` from the stored derivation; null when it does not reach `at`. */
  async function storedBoardAt(
    projectId: string,
    win: HistoryWindow,
    at: number,
  ): Promise<ProjectedBoard | null> {
    const seq = await seqAt(db, projectId, win, at)
    const cursor = await readCursor(db, projectId)
    const oldest = win.bases[0]!
    if (
      !cursor ||
      cursor.lastSeq < seq ||
      cursor.base.seq !== oldest.seq ||
      cursor.base.kind !== oldest.kind
    )
      return null
    const rows = await boardRowsAt(db, projectId, seq)
    if (!rows) return null
    for (const p of rows.patches) applyBoardPatch(rows.board, p)
    return rows.board
  }

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

  return {
    async boardAt(projectId: string, at: string): Promise<BoardResponse> {
      const win = await window(projectId)
      const t = instant(at, 'at', win)
      // From the stored board reads (board-projection.ts) when the derivation covers `t`:
      // a whole board and the patches after it, no Y.Doc.
      await deriver.current(projectId, win)
      const stored = await storedBoardAt(projectId, win, t)
      if (stored) return boardFromProjection(stored, await listMembers(db, projectId))
      // Moved forward when it was rebuilt for an earlier time, else rebuilt and kept.
      const kept = rebuilt.get(projectId)
      rebuilt.delete(projectId)
      const from = kept && kept.at <= t ? kept : undefined
      if (kept && !from) kept.doc.destroy()
      let r: RebuiltDoc
      try {
        r = await docAt(db, projectId, win, t, from)
      } catch (err) {
        from?.doc.destroy()
        throw err
      }
      try {
        return toBoard(r.doc, await listMembers(db, projectId))
      } finally {
        keepRebuilt(projectId, r)
      }
    },

    async taskHistory(
      projectId: string,
      taskId: string,
      q: TaskHistoryQuery,
    ): Promise<TaskHistoryPage> {
      const win = await window(projectId)
      await deriver.current(projectId, win)
      const list = await versionsOf(db, projectId, taskId)
      if (list.length === 0)
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
      await deriver.current(projectId, win)
      const found = await stepsPage(db, projectId, { afterSeq, from, to, limit: limit + 1 })
      const more = found.length > limit
      const steps: HistoryChangesPage['steps'] = []
      for (const s of found.slice(0, limit)) {
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
      const { doc: past } = await docAt(db, projectId, win, t)
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
