import {
  type BoardResponse,
  type Comment,
  type CommentList,
  type CreateCommentBody,
  type CreateTaskBody,
  ERROR_CODES,
  type ListTasksQuery,
  MAX_TASKS_PAGE,
  type MoveTaskBody,
  type Task,
  type TaskPage,
  type UpdateTaskBody,
} from '@taskflow/api'
import {
  addComment,
  type BoardError,
  type BoardView,
  boardViewStore,
  checkFieldValue,
  checkSetParent,
  createTask,
  deleteTask,
  type FieldValueInput,
  getSubtaskOrderKey,
  getSubtasks,
  getTask,
  listComments,
  listFields,
  moveTask,
  type Result,
  setParent,
  setTaskFieldValue,
  type TaskSummary,
  updateTask,
} from '@taskflow/board'
import { getTaskMarkdown } from '@taskflow/board/markdown'
import type * as Y from 'yjs'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import { AppError } from '../http/app-error.js'
import { listClientAuthors } from '../projects/client-bindings.repository.js'
import { listMembers } from '../projects/members.repository.js'
import type { SyncControl } from '../sync/access.js'
import { createLiveBoard } from './live-board.js'
import { toBoard, toComment, toTask } from './tasks.presenter.js'

export interface TasksDeps {
  db: Db
  now: Clock
  /** The live sync hub (it starts after the app). */
  getSync: () => SyncControl | undefined
  /** The board as of a past time (history/); absent: `?at=` answers 400. */
  history?: { boardAt(projectId: string, at: string): Promise<BoardResponse> }
}

/**
 * The task API. Every read is of the live document the sync hub holds (committed state);
 * every write is a board operation applied to it as the caller (LiveDocs.write): its own
 * bound client ID, persisted before relay, attributed in activity and notifications.
 */
export function createTasksService(deps: TasksDeps) {
  const { db } = deps
  const { read, write } = createLiveBoard(deps)

  function taskOf(doc: Y.Doc, taskId: string): Task {
    const t = getTask(doc, taskId)
    if (!t) throw new AppError(404, ERROR_CODES.notFound, 'Task not found')
    return toTask(t, getTaskMarkdown(doc, taskId) ?? '', listFields(doc))
  }

  // The description as Markdown, as POST and PATCH take it.
  const withDescription = (doc: Y.Doc, s: TaskSummary) =>
    toTask(s, getTaskMarkdown(doc, s.id) ?? '', listFields(doc))

  async function checkAssignees(projectId: string, ids: readonly string[] | undefined) {
    if (!ids || ids.length === 0) return
    const members = new Set((await listMembers(db, projectId)).map((m) => m.user_id))
    const stranger = ids.find((id) => !members.has(id))
    if (stranger) {
      throw new AppError(400, ERROR_CODES.validation, `assignee ${stranger} is not a member`)
    }
  }

  /**
   * Person values must name members (the document cannot know who is one): checked before
   * the write, like assignees.
   */
  async function checkPersonValues(projectId: string, values: FieldValues | undefined) {
    if (!values) return
    const people = await read(projectId, (doc) =>
      listFields(doc)
        .filter((f) => f.type === 'person' && typeof values[f.id] === 'string')
        .map((f) => values[f.id] as string),
    )
    await checkAssignees(projectId, people).catch(() => {
      throw new AppError(
        400,
        ERROR_CODES.validation,
        'a person field names someone who is not a member',
      )
    })
  }

  return {
    /** The live board, or with `at` the board as it was then (history, 400 outside it). */
    async board(projectId: string, at?: string): Promise<BoardResponse> {
      if (at !== undefined) {
        const history = deps.history
        if (!history) throw new AppError(400, ERROR_CODES.validation, 'Board history is off')
        return history.boardAt(projectId, at)
      }
      const members = await listMembers(db, projectId)
      return read(projectId, (doc) => toBoard(doc, members))
    },

    async list(projectId: string, q: ListTasksQuery): Promise<TaskPage> {
      const after = q.cursor === undefined ? null : decodeCursor(q.cursor)
      const limit = Number(q.limit ?? MAX_TASKS_PAGE)
      const since = q.updatedSince === undefined ? null : Date.parse(q.updatedSince)
      const matches = (t: TaskSummary) =>
        (q.column === undefined || t.columnId === q.column) &&
        (q.assignee === undefined || t.assigneeIds.includes(q.assignee)) &&
        (q.label === undefined || t.labelIds.includes(q.label)) &&
        (q.priority === undefined || t.priority === q.priority) &&
        (q.dueFrom === undefined || (t.dueDate !== null && t.dueDate >= q.dueFrom)) &&
        (q.dueTo === undefined || (t.dueDate !== null && t.dueDate <= q.dueTo)) &&
        (since === null || (t.updatedAt !== null && t.updatedAt >= since)) &&
        (q.parentId === undefined || t.parentId === q.parentId)
      return read(projectId, (doc) => {
        const page: Task[] = []
        let last: Key | null = null
        let more = false
        // A parent's live subtasks come in the order the task panel shows them (its subtask
        // order), not board order: that is the order a client means to read and reorder.
        const ordered =
          q.parentId !== undefined && q.trashed !== 'true'
            ? inSubtaskOrder(doc, q.parentId)
            : inBoardOrder(boardViewStore(doc).getSnapshot(), q.trashed)
        for (const [key, t] of ordered) {
          if (after && compareKeys(key, after) <= 0) continue
          if (!matches(t)) continue
          if (page.length === limit) {
            more = true
            break
          }
          page.push(withDescription(doc, t))
          last = key
        }
        return { tasks: page, nextCursor: more && last ? encodeCursor(last) : null }
      })
    },

    async get(projectId: string, taskId: string): Promise<Task> {
      return read(projectId, (doc) => taskOf(doc, taskId))
    },

    async create(projectId: string, userId: string, body: CreateTaskBody): Promise<Task> {
      await checkAssignees(projectId, body.assigneeIds)
      await checkPersonValues(projectId, body.fields)
      const { columnId, description, parentId, fields: values, ...fields } = body
      const id = await write(projectId, userId, (doc, ctx) => {
        const first = boardViewStore(doc).getSnapshot().columns[0]?.id
        // A subtask without a column starts in the first `todo` column (the board's default).
        const target = columnId ?? (parentId ? undefined : first)
        if (first === undefined) return conflict('the board has no column')
        // Every value is checked before the task exists: a refusal creates nothing.
        const bad = checkValues(doc, values)
        if (bad) return bad
        const r = createTask(
          doc,
          { ...fields, descriptionMarkdown: description, columnId: target, parentId },
          ctx,
        )
        if (!r.ok) return asBadReference(r.error)
        const set = writeValues(doc, r.value.id, values, ctx)
        return set.ok ? r : set
      })
      return read(projectId, (doc) => taskOf(doc, id.id))
    },

    async update(projectId: string, userId: string, taskId: string, body: UpdateTaskBody) {
      await checkAssignees(projectId, body.assigneeIds)
      await checkPersonValues(projectId, body.fields)
      await write(projectId, userId, (doc, ctx) => {
        if (!getTask(doc, taskId)) return notFound()
        const { description, parentId, fields: values, ...fields } = body
        const bad = checkValues(doc, values)
        if (bad) return bad
        const reparent = parentId !== undefined && getTask(doc, taskId)!.parentId !== parentId
        // Checked before anything is written: a refused re-parent (a cycle, a trashed or
        // unknown parent) or a bad field changes nothing.
        const refused = reparent ? checkSetParent(doc, taskId, parentId) : null
        if (refused) return asBadReference(refused.error)
        if (Object.keys(fields).length > 0 || description !== undefined) {
          const r = updateTask(doc, taskId, { ...fields, descriptionMarkdown: description }, ctx)
          if (!r.ok) return asBadReference(r.error)
        }
        const set = writeValues(doc, taskId, values, ctx)
        if (!set.ok) return set
        return reparent ? setParent(doc, taskId, parentId, undefined, ctx) : ok(null)
      })
      return read(projectId, (doc) => taskOf(doc, taskId))
    },

    /** Moves the task to the trash, as the app's delete does; repeating it is a no-op. */
    async remove(projectId: string, userId: string, taskId: string): Promise<void> {
      await write(projectId, userId, (doc, ctx) => {
        const t = getTask(doc, taskId)
        if (!t) return notFound()
        if (t.deletedAt !== null) return { ok: true, value: null }
        return deleteTask(doc, taskId, ctx)
      })
    },

    async move(projectId: string, userId: string, taskId: string, body: MoveTaskBody) {
      await write(projectId, userId, (doc, ctx) => {
        if (!getTask(doc, taskId)) return notFound()
        const column = boardViewStore(doc)
          .getSnapshot()
          .columns.find((c) => c.id === body.columnId)
        if (!column) return badReference(`column ${body.columnId} does not exist`)
        const siblings = column.tasks.filter((t) => t.id !== taskId)
        let index: number | undefined
        const ref = body.beforeTaskId ?? body.afterTaskId
        if (ref !== undefined) {
          const at = siblings.findIndex((t) => t.id === ref)
          if (at < 0 || ref === taskId) {
            return badReference(`task ${ref} is not another task of column ${body.columnId}`)
          }
          index = body.beforeTaskId !== undefined ? at : at + 1
        }
        const r = moveTask(doc, taskId, { columnId: body.columnId, index }, ctx)
        return r.ok ? r : asBadReference(r.error)
      })
      return read(projectId, (doc) => taskOf(doc, taskId))
    },

    async comments(projectId: string, taskId: string): Promise<CommentList> {
      const bound = await boundAuthors(projectId)
      return read(projectId, (doc) => {
        if (!getTask(doc, taskId)) throw new AppError(404, ERROR_CODES.notFound, 'Task not found')
        return { comments: listComments(doc, taskId).map((c) => commentOf(c, bound)) }
      })
    },

    async addComment(
      projectId: string,
      userId: string,
      taskId: string,
      body: CreateCommentBody,
    ): Promise<Comment> {
      const added = await write(projectId, userId, (doc, ctx) => {
        if (!getTask(doc, taskId)) return notFound()
        return addComment(doc, taskId, body, ctx)
      })
      const bound = await boundAuthors(projectId)
      return read(projectId, (doc) => {
        const c = listComments(doc, taskId).find((x) => x.id === added.id)
        if (!c) throw new AppError(404, ERROR_CODES.notFound, 'Task not found')
        return commentOf(c, bound)
      })
    },
  }

  async function boundAuthors(projectId: string): Promise<Map<number, string>> {
    const rows = await listClientAuthors(db, projectId)
    return new Map(rows.map((r) => [r.client_id, r.user_id]))
  }
}

export type TasksService = ReturnType<typeof createTasksService>

type FieldValues = Readonly<Record<string, FieldValueInput>>

/** The first value of `values` the board would refuse (unknown field, wrong type), or null. */
function checkValues(doc: Y.Doc, values: FieldValues | undefined): Result<never> | null {
  if (!values) return null
  const fields = listFields(doc)
  for (const [id, v] of Object.entries(values)) {
    const f = fields.find((x) => x.id === id)
    if (!f) return badReference(`field ${id} does not exist`)
    const bad = checkFieldValue(f, v)
    if (bad) return badReference(bad)
  }
  return null
}

function writeValues(
  doc: Y.Doc,
  taskId: string,
  values: FieldValues | undefined,
  ctx: { origin: unknown; now: number; userId: string },
): Result<null> {
  for (const [id, v] of Object.entries(values ?? {})) {
    const r = setTaskFieldValue(doc, taskId, id, v, ctx)
    if (!r.ok) return asBadReference(r.error)
  }
  return { ok: true, value: null }
}

function commentOf(c: Parameters<typeof toComment>[0], bound: Map<number, string>): Comment {
  return toComment(c, c.authorClientId === null ? undefined : bound.get(c.authorClientId))
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value })
// Refusals built here use the board's own error codes, so they map like the board's.
const notFound = (): Result<never> => ({
  ok: false,
  error: { code: 'not_found', message: 'Task not found' },
})
const conflict = (message: string): Result<never> => ({
  ok: false,
  error: { code: 'conflict', message },
})
/** A body that names a column, label or task that does not exist: the request is bad. */
const badReference = (message: string): Result<never> => ({
  ok: false,
  error: { code: 'invalid', message },
})
const asBadReference = (e: BoardError): Result<never> =>
  e.code === 'not_found' ? badReference(e.message) : { ok: false, error: e }

/**
 * Board order as a sortable key: column (by its order key, then id), then the task's order
 * key and id. A cursor is the key of the last task of a page, so pages stay consistent
 * while tasks are added, moved or removed. The trash is ordered by deletion, newest first.
 */
type Key = readonly [string, string, string, string]

function* inBoardOrder(view: BoardView, trashed: 'true' | 'false' | undefined) {
  if (trashed === 'true') {
    for (const t of view.trash) {
      // Newest first: invert the time so the key still sorts ascending.
      const k = String(Number.MAX_SAFE_INTEGER - (t.deletedAt ?? 0)).padStart(16, '0')
      yield [[k, '', '', t.id] as Key, t] as const
    }
    return
  }
  for (const c of view.columns) {
    for (const t of c.tasks) yield [[c.order, c.id, t.order, t.id] as Key, t] as const
  }
}

/** A parent's live subtasks in subtask order, keyed by (order key, id) as `getSubtasks` sorts. */
function* inSubtaskOrder(doc: Y.Doc, parentId: string) {
  for (const t of getSubtasks(doc, parentId)) {
    yield [['', parentId, getSubtaskOrderKey(doc, t.id), t.id] as Key, t] as const
  }
}

function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < 4; i++) {
    if (a[i]! < b[i]!) return -1
    if (a[i]! > b[i]!) return 1
  }
  return 0
}

function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url')
}

function decodeCursor(cursor: string): Key {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (Array.isArray(key) && key.length === 4 && key.every((k) => typeof k === 'string')) {
      return key as unknown as Key
    }
  } catch {
    // Falls through to the 400 below.
  }
  throw new AppError(400, ERROR_CODES.validation, 'Invalid query: cursor: not a nextCursor value')
}
