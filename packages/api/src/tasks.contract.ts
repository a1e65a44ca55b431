import type { z } from 'zod'
import { BoardQuerySchema } from './history.js'
import { ProjectParamsSchema } from './projects.js'
import { defineRoute, type JsonResponse } from './registry.js'
import {
  BoardResponseSchema,
  CommentListSchema,
  CommentSchema,
  CreateCommentBodySchema,
  CreateTaskBodySchema,
  IdempotencyHeadersSchema,
  IdempotentReplayedHeadersSchema,
  ListTasksQuerySchema,
  MoveTaskBodySchema,
  TaskPageSchema,
  TaskParamsSchema,
  TaskSchema,
  UpdateTaskBodySchema,
} from './tasks.js'

const tag = 'Tasks'
const read = 'viewer or higher'
const write = 'member or higher'
const projectErrors = { 403: 'Not a member of the project', 404: 'Unknown project' }
const taskErrors = { ...projectErrors, 404: 'Unknown project, or no such task on its board' }
/** Every write is a board operation on the live document (docs/api.md "Tasks"). */
const writeErrors = {
  403: 'Not a member of the project, or a viewer',
  409: 'The project is archived, the task’s state forbids it (moving a trashed task), or the board was written by a newer TaskFlow (`conflict`)',
  503: 'The board cannot be written right now (starting or shutting down): retry (`service_unavailable`)',
}
/** What `Idempotency-Key` adds to a POST (docs/api.md "Idempotency"). */
const idempotentErrors = {
  409: 'The project is archived, the task’s state forbids it, or the board was written by a newer TaskFlow (`conflict`); or a request with this Idempotency-Key is still running (`idempotency_key_in_flight`)',
  422: 'This Idempotency-Key was used by you for a different request (`idempotency_key_reused`)',
}
const replayable = (description: string, schema: z.ZodType): JsonResponse => ({
  description: `${description} (or, for a retry with the same Idempotency-Key, the first answer again)`,
  schema,
  headers: IdempotentReplayedHeadersSchema,
})

/**
 * The task API: `/projects/:id/board` and `/projects/:id/tasks*`, board operations applied
 * to the live document as the caller (docs/api.md "Tasks").
 */
export const TASK_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/projects/:id/board',
    tag,
    auth: 'token',
    access: read,
    summary: 'The board: columns, labels, members and live tasks in board order',
    description:
      'With `at`, the board as it was at that instant (docs/api.md "History"); `members` are always today’s.',
    params: ProjectParamsSchema,
    query: BoardQuerySchema,
    responses: { 200: BoardResponseSchema },
    errors: {
      ...projectErrors,
      400: '`at` malformed, in the future, or before the start of history (`validation_failed`)',
    },
  }),
  defineRoute({
    method: 'get',
    path: '/projects/:id/tasks',
    tag,
    auth: 'token',
    access: read,
    summary: 'Tasks in board order, filtered, a page at a time',
    description:
      'Pass `nextCursor` as `cursor` for the next page (null: the last page). A cursor marks a place in board order, so tasks added or moved behind it do not shift later pages.',
    params: ProjectParamsSchema,
    query: ListTasksQuerySchema,
    responses: { 200: TaskPageSchema },
    errors: projectErrors,
  }),
  defineRoute({
    method: 'post',
    path: '/projects/:id/tasks',
    tag,
    auth: 'token',
    access: write,
    summary: 'Create a task (last in its column; default the first column)',
    params: ProjectParamsSchema,
    headers: IdempotencyHeadersSchema,
    body: CreateTaskBodySchema,
    responses: { 201: replayable('Created', TaskSchema) },
    errors: { ...projectErrors, ...writeErrors, ...idempotentErrors },
  }),
  defineRoute({
    method: 'get',
    path: '/projects/:id/tasks/:taskId',
    tag,
    auth: 'token',
    access: read,
    summary: 'Get a task (trashed ones too, with `deletedAt`)',
    params: TaskParamsSchema,
    responses: { 200: TaskSchema },
    errors: taskErrors,
  }),
  defineRoute({
    method: 'patch',
    path: '/projects/:id/tasks/:taskId',
    tag,
    auth: 'token',
    access: write,
    summary: 'Change a task’s fields (`null` clears a date or the estimate)',
    params: TaskParamsSchema,
    body: UpdateTaskBodySchema,
    responses: { 200: TaskSchema },
    errors: { ...taskErrors, ...writeErrors },
  }),
  defineRoute({
    method: 'delete',
    path: '/projects/:id/tasks/:taskId',
    tag,
    auth: 'token',
    access: write,
    summary: 'Move a task to the trash (a trashed task: nothing happens)',
    params: TaskParamsSchema,
    responses: { 204: { description: 'In the trash; no body' } },
    errors: { ...taskErrors, ...writeErrors },
  }),
  defineRoute({
    method: 'post',
    path: '/projects/:id/tasks/:taskId/move',
    tag,
    auth: 'token',
    access: write,
    summary: 'Move a task to a column, before or after another task (neither: last)',
    params: TaskParamsSchema,
    headers: IdempotencyHeadersSchema,
    body: MoveTaskBodySchema,
    responses: { 200: replayable('Moved', TaskSchema) },
    errors: { ...taskErrors, ...writeErrors, ...idempotentErrors },
  }),
  defineRoute({
    method: 'get',
    path: '/projects/:id/tasks/:taskId/comments',
    tag,
    auth: 'token',
    access: read,
    summary: 'A task’s comments, oldest first, deleted ones included',
    params: TaskParamsSchema,
    responses: { 200: CommentListSchema },
    errors: taskErrors,
  }),
  defineRoute({
    method: 'post',
    path: '/projects/:id/tasks/:taskId/comments',
    tag,
    auth: 'token',
    access: write,
    summary: 'Comment on a task (Markdown; mention with `<@userId>`)',
    params: TaskParamsSchema,
    headers: IdempotencyHeadersSchema,
    body: CreateCommentBodySchema,
    responses: { 201: replayable('Created', CommentSchema) },
    errors: { ...taskErrors, ...writeErrors, ...idempotentErrors },
  }),
]
