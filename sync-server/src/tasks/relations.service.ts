import {
  type CreateRelationBody,
  type DeleteRelationQuery,
  ERROR_CODES,
  type Role,
  type TaskRelation,
  type TaskRelationList,
} from '@taskflow/api'
import {
  addRelation,
  flatRelations,
  getRelations,
  openBoard,
  type RelatedTask,
  type Result,
  removeRelation,
} from '@taskflow/board'
import * as Y from 'yjs'
import { AppError } from '../http/app-error.js'
import { requireProjectRole } from '../projects/project-access.js'
import type { LiveDocs } from '../sync/access.js'
import { boardFailure, type TasksDeps, unavailable } from './tasks.service.js'

/**
 * Relations between tasks (docs/api.md "Relations"). Reads are of the live document the
 * sync hub holds; writes are board operations applied to it as the caller, persisted
 * before relay, exactly as the task API's (tasks.service.ts) — the same two helpers,
 * kept here so the two files merge independently.
 */
export function createRelationsService(deps: TasksDeps) {
  const { db, now } = deps

  function live(): LiveDocs {
    const docs = deps.getSync()?.liveDocs
    if (!docs) throw new AppError(503, ERROR_CODES.unavailable, 'Boards are not available yet')
    return docs
  }

  async function access(projectId: string, userId: string, min: Role) {
    const { project } = await requireProjectRole(db, projectId, userId, min)
    if (min !== 'viewer' && project.archived_at !== null) {
      throw new AppError(409, ERROR_CODES.conflict, 'The project is archived: restore it first')
    }
  }

  async function read<T>(projectId: string, fn: (doc: Y.Doc) => T): Promise<T> {
    try {
      return await live().read(projectId, fn)
    } catch (err) {
      throw unavailable(err)
    }
  }

  async function write<T>(
    projectId: string,
    userId: string,
    op: (doc: Y.Doc, ctx: { origin: unknown; now: number; userId: string }) => Result<T>,
  ): Promise<T> {
    let result: Result<T>
    try {
      ;({ value: result } = await live().write(projectId, userId, (doc, origin) => {
        const ctx = { origin, now: now(), userId }
        const opened = openBoard(doc, ctx)
        if (!opened.ok) return opened
        return op(doc, ctx)
      }))
    } catch (err) {
      throw unavailable(err)
    }
    if (!result.ok) throw boardFailure(result.error)
    return result.value
  }

  const exists = (doc: Y.Doc, taskId: string) => doc.getMap('tasks').get(taskId) instanceof Y.Map
  const taskNotFound = () => new AppError(404, ERROR_CODES.notFound, 'Task not found')

  return {
    async list(projectId: string, userId: string, taskId: string): Promise<TaskRelationList> {
      await access(projectId, userId, 'viewer')
      return read(projectId, (doc) => {
        if (!exists(doc, taskId)) throw taskNotFound()
        const relations = flatRelations(getRelations(doc, taskId)).map(toRelation)
        return {
          relations,
          blocked: relations.some((r) => r.kind === 'blocked_by' && !r.done && !r.trashed),
        }
      })
    },

    /** Adds the relation; `created` false when it existed (nothing written). */
    async add(
      projectId: string,
      userId: string,
      taskId: string,
      body: CreateRelationBody,
    ): Promise<{ relation: TaskRelation; created: boolean }> {
      await access(projectId, userId, 'member')
      const { created } = await write(projectId, userId, (doc, ctx) => {
        if (!exists(doc, taskId)) return notFound()
        const r = addRelation(doc, taskId, body.kind, body.taskId, ctx)
        // The other task is named in the body: a missing one is a bad request (400).
        if (!r.ok && r.error.code === 'not_found') {
          return { ok: false, error: { code: 'invalid', message: r.error.message } }
        }
        return r
      })
      return read(projectId, (doc) => {
        const found = getRelations(doc, taskId)[body.kind].find((t) => t.taskId === body.taskId)
        if (!found) throw taskNotFound()
        return { relation: toRelation(found), created }
      })
    },

    async remove(
      projectId: string,
      userId: string,
      taskId: string,
      q: DeleteRelationQuery,
    ): Promise<void> {
      await access(projectId, userId, 'member')
      await write(projectId, userId, (doc, ctx) => {
        if (!exists(doc, taskId)) return notFound()
        return removeRelation(doc, taskId, q.kind, q.taskId, ctx)
      })
    },
  }
}

export type RelationsService = ReturnType<typeof createRelationsService>

const notFound = (): Result<never> => ({
  ok: false,
  error: { code: 'not_found', message: 'Task not found' },
})

function toRelation(t: RelatedTask): TaskRelation {
  return {
    kind: t.kind,
    taskId: t.taskId,
    title: t.title,
    columnId: t.columnId,
    status: t.category,
    done: t.done,
    trashed: t.trashed,
  }
}
