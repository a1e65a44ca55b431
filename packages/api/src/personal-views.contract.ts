import {
  PersonalViewDeleteQuerySchema,
  PersonalViewParamsSchema,
  PersonalViewPutSchema,
  PersonalViewSchema,
  PersonalViewsQuerySchema,
  PersonalViewsSchema,
} from './personal-views.js'
import { defineRoute } from './registry.js'

const tag = 'Personal views'

/** A user's own saved views of a project, synced between their devices (session only). */
export const PERSONAL_VIEW_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/me/views',
    tag,
    auth: 'session',
    access: 'a member of the project (any role)',
    summary: 'My personal views of a project, and the ones I deleted',
    query: PersonalViewsQuerySchema,
    responses: { 200: PersonalViewsSchema },
    errors: { 404: 'Unknown project, or not one I can read' },
  }),
  defineRoute({
    method: 'put',
    path: '/me/views/:viewId',
    tag,
    auth: 'session',
    access: 'a member of the project (any role)',
    summary: 'Create or replace a personal view (last writer wins by `updatedAt`)',
    description:
      'Idempotent. When the stored view (or its deletion) has a later `updatedAt`, nothing changes and the stored view is answered; otherwise this one is stored and answered.',
    params: PersonalViewParamsSchema,
    body: PersonalViewPutSchema,
    responses: {
      200: {
        description: 'The view as stored now (the newer of the two)',
        schema: PersonalViewSchema,
      },
    },
    errors: {
      404: 'Unknown project, or not one I can read',
      410: 'A later deletion of this view stands (its `updatedAt` is newer): drop the local copy',
      409: 'The id names my view of another project, or the project holds the most views allowed',
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/me/views/:viewId',
    tag,
    auth: 'session',
    access: "the view's owner, still a member of its project",
    summary: 'Delete a personal view (kept as a tombstone so other devices drop it)',
    params: PersonalViewParamsSchema,
    query: PersonalViewDeleteQuerySchema,
    responses: { 204: { description: 'Deleted, already deleted, or never stored' } },
    errors: { 404: 'The view belongs to a project I can no longer read' },
  }),
]
