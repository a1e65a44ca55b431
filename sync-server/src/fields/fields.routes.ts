import {
  CreateFieldBodySchema,
  FieldParamsSchema,
  ProjectParamsSchema,
  UpdateFieldBodySchema,
} from '@taskflow/api'
import { Hono } from 'hono'
import { type AuthEnv, requireAuth } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import type { Db } from '../db/database.js'
import { NoQuerySchema, validate } from '../http/validate.js'
import { projectRoles } from '../projects/require-role.js'
import type { FieldsService } from './fields.service.js'

/** Custom fields under `/api/v1` (docs/api.md "Custom fields"): members read, admins write. */
export function fieldsRoutes(auth: AuthService, fields: FieldsService, db: Db): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const signedIn = requireAuth(auth)
  const requireRole = projectRoles(db)
  const define = requireRole('admin', { refuseArchived: true })
  const noQuery = validate('query', NoQuerySchema)
  const project = validate('param', ProjectParamsSchema)
  const field = validate('param', FieldParamsSchema)

  app.get('/projects/:id/fields', noQuery, signedIn, project, requireRole('viewer'), async (c) =>
    c.json(await fields.list(c.req.valid('param').id)),
  )

  app.post(
    '/projects/:id/fields',
    noQuery,
    signedIn,
    project,
    define,
    validate('json', CreateFieldBodySchema),
    async (c) =>
      c.json(await fields.create(c.req.valid('param').id, c.var.user.id, c.req.valid('json')), 201),
  )

  app.patch(
    '/projects/:id/fields/:fieldId',
    noQuery,
    signedIn,
    field,
    define,
    validate('json', UpdateFieldBodySchema),
    async (c) => {
      const { id, fieldId } = c.req.valid('param')
      return c.json(await fields.update(id, c.var.user.id, fieldId, c.req.valid('json')))
    },
  )

  app.delete('/projects/:id/fields/:fieldId', noQuery, signedIn, field, define, async (c) => {
    const { id, fieldId } = c.req.valid('param')
    await fields.remove(id, c.var.user.id, fieldId)
    return c.body(null, 204)
  })

  return app
}
