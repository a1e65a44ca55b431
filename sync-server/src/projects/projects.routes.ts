import {
  CreateProjectBodySchema,
  InvitationParamsSchema,
  InvitationTokenBodySchema,
  InviteMemberBodySchema,
  ListProjectsQuerySchema,
  MemberParamsSchema,
  ProjectParamsSchema,
  UpdateMemberBodySchema,
  UpdateProjectBodySchema,
} from '@taskflow/api'
import { Hono } from 'hono'
import { type AuthEnv, requireAuth, tokenProjectLimit } from '../auth/auth.middleware.js'
import type { AuthService } from '../auth/auth.service.js'
import type { Db } from '../db/database.js'
import { NoQuerySchema, validate } from '../http/validate.js'
import type { InvitationsService } from './invitations.service.js'
import type { MembersService } from './members.service.js'
import type { ProjectsService } from './projects.service.js'
import { projectRoles } from './require-role.js'

/** `/projects*` and `/invitations*`, mounted under `/api/v1`. */
export function projectsRoutes(
  auth: AuthService,
  projects: ProjectsService,
  members: MembersService,
  invitations: InvitationsService,
  db: Db,
): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const signedIn = requireAuth(auth)
  const noQuery = validate('query', NoQuerySchema)
  const project = validate('param', ProjectParamsSchema)
  const member = validate('param', MemberParamsSchema)
  const invitation = validate('param', InvitationParamsSchema)
  const requireRole = projectRoles(db)
  const viewer = requireRole('viewer')
  const admin = requireRole('admin')

  app.get('/projects', validate('query', ListProjectsQuerySchema), signedIn, async (c) => {
    const { archived } = c.req.valid('query')
    const filter = archived === undefined ? undefined : archived === 'true'
    const all = await projects.list(c.var.user.id, filter)
    // A project-limited API token lists only its projects (the token policy guards the rest).
    const limit = tokenProjectLimit(c)
    return c.json({ projects: limit ? all.filter((p) => limit.includes(p.id)) : all })
  })

  app.post('/projects', noQuery, signedIn, validate('json', CreateProjectBodySchema), async (c) =>
    c.json(await projects.create(c.var.user.id, c.req.valid('json')), 201),
  )

  app.get('/projects/:id', noQuery, signedIn, project, viewer, (c) =>
    c.json(projects.get(c.var.access)),
  )

  app.patch(
    '/projects/:id',
    noQuery,
    signedIn,
    project,
    requireRole('admin', { refuseArchived: true }),
    validate('json', UpdateProjectBodySchema),
    async (c) => c.json(await projects.update(c.var.access, c.req.valid('json'))),
  )

  app.post('/projects/:id/archive', noQuery, signedIn, project, admin, async (c) =>
    c.json(await projects.setArchived(c.var.access, true)),
  )

  app.post('/projects/:id/restore', noQuery, signedIn, project, admin, async (c) =>
    c.json(await projects.setArchived(c.var.access, false)),
  )

  app.delete('/projects/:id', noQuery, signedIn, project, requireRole('owner'), async (c) => {
    await projects.remove(c.req.valid('param').id, c.var.user.id)
    return c.body(null, 204)
  })

  app.get('/projects/:id/members', noQuery, signedIn, project, viewer, async (c) =>
    c.json(await members.list(c.req.valid('param').id, c.var.access.role)),
  )

  app.post(
    '/projects/:id/members',
    noQuery,
    signedIn,
    project,
    admin,
    validate('json', InviteMemberBodySchema),
    async (c) => {
      const result = await members.invite(c.var.access, c.var.user, c.req.valid('json'))
      return c.json(result, 201)
    },
  )

  app.patch(
    '/projects/:id/members/:userId',
    noQuery,
    signedIn,
    member,
    admin,
    validate('json', UpdateMemberBodySchema),
    async (c) => {
      const { id, userId } = c.req.valid('param')
      const { role } = c.req.valid('json')
      return c.json(await members.changeRole(id, c.var.access.role, userId, role))
    },
  )

  app.delete('/projects/:id/members/:userId', noQuery, signedIn, member, admin, async (c) => {
    const { id, userId } = c.req.valid('param')
    await members.remove(id, c.var.access.role, userId)
    return c.body(null, 204)
  })

  app.post('/projects/:id/leave', noQuery, signedIn, project, viewer, async (c) => {
    await members.leave(c.req.valid('param').id, c.var.user.id, c.var.access.role)
    return c.body(null, 204)
  })

  app.delete(
    '/projects/:id/invitations/:invitationId',
    noQuery,
    signedIn,
    invitation,
    admin,
    async (c) => {
      const { id, invitationId } = c.req.valid('param')
      await members.revokeInvitation(id, c.var.access.role, invitationId)
      return c.body(null, 204)
    },
  )

  app.post(
    '/projects/:id/invitations/:invitationId/resend',
    noQuery,
    signedIn,
    invitation,
    admin,
    async (c) => {
      const { invitationId } = c.req.valid('param')
      const resent = await members.resendInvitation(c.var.access, c.var.user, invitationId)
      return c.json({ invitation: resent })
    },
  )

  // Invitation tokens travel in bodies, not paths, so proxy access logs never hold them.
  app.post('/invitations/lookup', noQuery, validate('json', InvitationTokenBodySchema), async (c) =>
    c.json(await invitations.preview(c.req.valid('json').token)),
  )

  app.post(
    '/invitations/accept',
    noQuery,
    signedIn,
    validate('json', InvitationTokenBodySchema),
    async (c) => c.json(await invitations.accept(c.req.valid('json').token, c.var.user.id)),
  )

  return app
}
