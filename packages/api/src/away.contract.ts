import { AwayQuerySchema, AwaySummarySchema, VisitSchema } from './away.js'
import { ProjectParamsSchema } from './projects.js'
import { defineRoute } from './registry.js'

const tag = 'While you were away'

/** A user's last visit of a board, and what others changed since (issue 18). */
export const AWAY_ROUTES = [
  defineRoute({
    method: 'put',
    path: '/projects/:id/visit',
    tag,
    auth: 'token',
    access: 'viewer or higher',
    summary: 'Record that I have the board open and synced now (my last visit)',
    description:
      'The server stamps its own time; a stored later visit is kept (a visit never moves back). The app calls this once the board has synced after opening, every minute while it stays open, on leaving the board and when the "while you were away" summary is dismissed.',
    params: ProjectParamsSchema,
    responses: { 200: VisitSchema },
    errors: { 403: 'Not a member', 404: 'Unknown project' },
  }),
  defineRoute({
    method: 'get',
    path: '/projects/:id/away',
    tag,
    auth: 'token',
    access: 'viewer or higher',
    summary: 'What others changed on the board since my last visit, per task and field',
    description:
      'Derived from the activity log: changes that reached the server after `since` (default: my stored last visit) and up to `until` (default and at most: now), by anyone but me — offline edits merged later count when they arrived, with their authors. Each task lists the net change of each field (first value → last value); changes undone within the window are left out.',
    params: ProjectParamsSchema,
    query: AwayQuerySchema,
    responses: { 200: AwaySummarySchema },
    errors: {
      400: 'Invalid input, or `since` after `until` (`validation_failed`)',
      403: 'Not a member',
      404: 'Unknown project',
    },
  }),
]
