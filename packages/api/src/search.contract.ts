import { defineRoute } from './registry.js'
import { SearchQuerySchema, SearchResponseSchema } from './search.js'

/** `GET /search` (docs/api.md "Search"). */
export const SEARCH_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/search',
    tag: 'Search',
    auth: 'token',
    summary: 'Search task titles and descriptions in the projects I can read',
    description: 'A project-limited API token searches its projects only.',
    query: SearchQuerySchema,
    responses: { 200: SearchResponseSchema },
    errors: { 403: 'Not a member of `projectId`', 404: 'Unknown `projectId`' },
  }),
]
