import {
  type CreateRelationBody,
  type DeleteRelationQuery,
  ERROR_CODES,
  type TaskRelation,
  type TaskRelationList,
} from '@taskflow/api'
import {
  addRelation,
  flatRelations,
  getRelations,
  type RelatedTask,
  type Result,
  removeRelation,
} from '@taskflow/board'
import * as Y from 'yjs'
import { AppError } from '../http/app-error.js'
import { createLiveBoard } from './live-board.js'
import type { TasksDeps } from './tasks.service.js'

/**
 * Relations between tasks (docs/api.md "Relations"). Reads are of the live document the
 * sync hub holds; writes are board operations applied to it as the caller, persisted
 * before relay, through the same live board as the task API's (live-board.ts).
 */
export function createRelationsService(deps: TasksDeps) {
  const { read, write } = createLiveBoard(deps)

  const exists = (doc: Y.Doc, taskId: string) => doc.getMap('tasks').get(taskId) instanceof Y.Map
  const taskNotFound = () => new AppError(404, ERROR_CODES.notFound, 'Task not found')

  return {
    async list(projectId: string, taskId: string): Promise<TaskRelationList> {
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
