import { defineRoute } from './registry.js'
import {
  CreateRelationBodySchema,
  DeleteRelationQuerySchema,
  TaskRelationListSchema,
  TaskRelationSchema,
} from './relations.js'
import {
  IdempotencyHeadersSchema,
  IdempotentReplayedHeadersSchema,
  TaskParamsSchema,
} from './tasks.js'

const tag = 'Tasks'
const taskErrors = {
  403: 'Not a member of the project',
  404: 'Unknown project, or no such task on its board',
}
const writeErrors = {
  403: 'Not a member of the project, or a viewer',
  409: 'The project is archived; a task is in the trash; the relation would make tasks block each other (a cycle of blockers) or duplicate each other; or the board was written by a newer TaskFlow (`conflict`)',
  503: 'The board cannot be written right now (starting or shutting down): retry (`service_unavailable`)',
}

/**
 * Relations between tasks (docs/api.md "Relations"): blocks / blocked by, relates to,
 * duplicate of, seen from the task of the path; writes are board operations on the live
 * document as the caller, like the rest of the task API.
 */
export const RELATION_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/projects/:id/tasks/:taskId/relations',
    tag,
    auth: 'token',
    access: 'viewer or higher',
    summary: 'A task’s relations, with each related task’s title and state (trashed ones marked)',
    params: TaskParamsSchema,
    responses: { 200: TaskRelationListSchema },
    errors: taskErrors,
  }),
  defineRoute({
    method: 'post',
    path: '/projects/:id/tasks/:taskId/relations',
    tag,
    auth: 'token',
    access: 'member or higher',
    summary: 'Relate the task to another (`blocked_by`: the other task blocks this one)',
    description:
      'Adding a relation that exists already answers 200 with it and changes nothing. A relation of a task to itself, or to a task that does not exist, is refused (400).',
    params: TaskParamsSchema,
    headers: IdempotencyHeadersSchema,
    body: CreateRelationBodySchema,
    responses: {
      201: {
        description:
          'Created (or, for a retry with the same Idempotency-Key, the first answer again)',
        schema: TaskRelationSchema,
        headers: IdempotentReplayedHeadersSchema,
      },
      200: { description: 'The relation existed already', schema: TaskRelationSchema },
    },
    errors: {
      ...taskErrors,
      ...writeErrors,
      409: `${writeErrors[409]}; or a request with this Idempotency-Key is still running (\`idempotency_key_in_flight\`)`,
      422: 'This Idempotency-Key was used by you for a different request (`idempotency_key_reused`)',
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/projects/:id/tasks/:taskId/relations',
    tag,
    auth: 'token',
    access: 'member or higher',
    summary: 'Remove a relation (one that does not exist: nothing happens)',
    params: TaskParamsSchema,
    query: DeleteRelationQuerySchema,
    responses: { 204: { description: 'Removed; no body' } },
    errors: { ...taskErrors, ...writeErrors },
  }),
]
