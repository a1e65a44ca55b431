import {
  CreateFieldBodySchema,
  FieldListSchema,
  FieldParamsSchema,
  FieldSchema,
  UpdateFieldBodySchema,
} from './fields.js'
import { ProjectParamsSchema } from './projects.js'
import { defineRoute } from './registry.js'

const tag = 'Custom fields'
const readErrors = { 403: 'Not a member of the project', 404: 'Unknown project' }
/** Field writes are board operations on the live document, like task writes. */
const writeErrors = {
  403: 'Not an admin or owner of the project',
  409: 'The project is archived, or the board was written by a newer TaskFlow (`conflict`)',
  503: 'The board cannot be written right now (starting or shutting down): retry (`service_unavailable`)',
}
const fieldErrors = { ...writeErrors, 404: 'Unknown project, or no such field' }

/** Custom fields of a project (docs/api.md "Custom fields"): members read, admins define. */
export const FIELD_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/projects/:id/fields',
    tag,
    auth: 'token',
    access: 'viewer or higher',
    summary: 'The project’s custom fields in order, with their options',
    params: ProjectParamsSchema,
    responses: { 200: FieldListSchema },
    errors: readErrors,
  }),
  defineRoute({
    method: 'post',
    path: '/projects/:id/fields',
    tag,
    auth: 'token',
    access: 'admin or owner',
    summary: 'Define a custom field (text, number, date, select, checkbox, person, URL)',
    params: ProjectParamsSchema,
    body: CreateFieldBodySchema,
    responses: { 201: { description: 'Created', schema: FieldSchema } },
    errors: { ...readErrors, ...writeErrors },
  }),
  defineRoute({
    method: 'patch',
    path: '/projects/:id/fields/:fieldId',
    tag,
    auth: 'token',
    access: 'admin or owner',
    summary: 'Rename, retype, reorder a field, show it on cards, change its options',
    params: FieldParamsSchema,
    body: UpdateFieldBodySchema,
    responses: { 200: { description: 'Updated', schema: FieldSchema } },
    errors: fieldErrors,
  }),
  defineRoute({
    method: 'delete',
    path: '/projects/:id/fields/:fieldId',
    tag,
    auth: 'token',
    access: 'admin or owner',
    summary: 'Delete a field (tasks keep their values, hidden; see F5)',
    params: FieldParamsSchema,
    responses: { 204: { description: 'Deleted; no body' } },
    errors: fieldErrors,
  }),
]
