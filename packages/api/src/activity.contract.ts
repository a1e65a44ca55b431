import { ActivityPageSchema, ActivityQuerySchema } from './activity.js'
import { ProjectParamsSchema } from './projects.js'
import { defineRoute } from './registry.js'

/** The activity log the server derives from persisted board updates. */
export const ACTIVITY_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/projects/:id/activity',
    tag: 'Activity',
    auth: 'token',
    access: 'viewer or higher',
    summary: "A project's activity, newest first",
    params: ProjectParamsSchema,
    query: ActivityQuerySchema,
    responses: { 200: ActivityPageSchema },
    errors: { 403: 'Not a member', 404: 'Unknown project' },
  }),
]
