import {
  HistoryChangesPageSchema,
  HistoryChangesQuerySchema,
  RestoreBodySchema,
  RestoreResultSchema,
  TaskHistoryPageSchema,
  TaskHistoryQuerySchema,
} from './history.js'
import { ProjectParamsSchema } from './projects.js'
import { defineRoute } from './registry.js'
import {
  IdempotencyHeadersSchema,
  IdempotentReplayedHeadersSchema,
  TaskParamsSchema,
} from './tasks.js'

const tag = 'History'
const projectErrors = { 403: 'Not a member of the project', 404: 'Unknown project' }
const outside =
  'A malformed time, one in the future, or one before the start of history (`validation_failed`)'

/**
 * Board history (docs/api.md "History"): read the past, restore it as a new edit. The board
 * as of a time is `GET /projects/:id/board?at=` (tasks.contract.ts).
 */
export const HISTORY_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/projects/:id/tasks/:taskId/history',
    tag,
    auth: 'token',
    access: 'viewer or higher',
    summary: 'A task’s field-level versions with who and when, newest first',
    description:
      'Pass `nextCursor` as `cursor` for the next page (null: the last page). Trashed tasks and tasks deleted since keep their history.',
    params: TaskParamsSchema,
    query: TaskHistoryQuerySchema,
    responses: { 200: TaskHistoryPageSchema },
    errors: {
      ...projectErrors,
      400: 'A bad cursor or limit (`validation_failed`)',
      404: 'Unknown project, or no task with this id in the board’s history',
    },
  }),
  defineRoute({
    method: 'get',
    path: '/projects/:id/history/changes',
    tag,
    auth: 'token',
    access: 'viewer or higher',
    summary: 'The board’s change steps between two times, oldest first (the history scrubber)',
    params: ProjectParamsSchema,
    query: HistoryChangesQuerySchema,
    responses: { 200: HistoryChangesPageSchema },
    errors: {
      ...projectErrors,
      400: `${outside}, \`from\` after \`to\`, or a bad cursor or limit`,
    },
  }),
  defineRoute({
    method: 'post',
    path: '/projects/:id/history/restore',
    tag,
    auth: 'token',
    access: 'member or higher',
    summary: 'Bring back a task, one of its fields, a column or the whole board as it was at `at`',
    description:
      'A new edit by the caller on the live board (it merges with concurrent work and shows in activity as theirs); stored history is never rewritten. A task or column deleted since is brought back.',
    params: ProjectParamsSchema,
    headers: IdempotencyHeadersSchema,
    body: RestoreBodySchema,
    responses: {
      200: {
        description:
          'Restored (or, for a retry with the same Idempotency-Key, the first answer again)',
        schema: RestoreResultSchema,
        headers: IdempotentReplayedHeadersSchema,
      },
    },
    errors: {
      400: `${outside}, or a body that names no target or several`,
      403: 'Not a member of the project, or a viewer',
      404: 'Unknown project, or the task or column did not exist at `at`',
      409: 'The project is archived, a request with this Idempotency-Key is still running, or the board was written by a newer TaskFlow (`conflict`)',
      422: 'This Idempotency-Key was used by you for a different request (`idempotency_key_reused`)',
      503: 'The board cannot be written right now: retry (`service_unavailable`)',
    },
  }),
]
