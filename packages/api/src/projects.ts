import { z } from 'zod'
import { EmailSchema, singleLineName, TimestampSchema, TokenSchema } from './auth.js'

/**
 * Project roles, strongest first: owner (everything, incl. delete), admin (manage members
 * and settings), member (edit the board), viewer (read only).
 * @example if (roleAtLeast(project.role, 'member')) enableEditing()
 */
export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const
export type Role = (typeof ROLES)[number]
export const RoleSchema = z.enum(ROLES).meta({ id: 'Role' })

const RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1, viewer: 0 }

/** True when `role` grants at least what `min` grants. */
export function roleAtLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min]
}

const ProjectNameSchema = singleLineName(200)
const DescriptionSchema = z.string().trim().max(5000)

/**
 * Query of `GET /api/v1/projects`: `archived=true` lists only archived projects,
 * `archived=false` only active ones; without it, all.
 */
export const ListProjectsQuerySchema = z
  .object({ archived: z.enum(['true', 'false']).optional() })
  .strict()
export type ListProjectsQuery = z.input<typeof ListProjectsQuerySchema>

/** `POST /api/v1/projects`. */
export const CreateProjectBodySchema = z
  .object({ name: ProjectNameSchema, description: DescriptionSchema.optional() })
  .strict()
export type CreateProjectBody = z.input<typeof CreateProjectBodySchema>

/** `PATCH /api/v1/projects/:id`: at least one field. */
export const UpdateProjectBodySchema = z
  .object({ name: ProjectNameSchema.optional(), description: DescriptionSchema.optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'expected at least one field')
export type UpdateProjectBody = z.input<typeof UpdateProjectBodySchema>

/** `POST /api/v1/projects/:id/members`: adds an existing user or invites the address. */
export const InviteMemberBodySchema = z.object({ email: EmailSchema, role: RoleSchema }).strict()
export type InviteMemberBody = z.input<typeof InviteMemberBodySchema>

/** `PATCH /api/v1/projects/:id/members/:userId`. */
export const UpdateMemberBodySchema = z.object({ role: RoleSchema }).strict()
export type UpdateMemberBody = z.input<typeof UpdateMemberBodySchema>

/**
 * `POST /api/v1/invitations/lookup` and `/invitations/accept`: the token from the link
 * `<public url>/invitations/<token>`. Sent in the body so it never lands in access logs.
 */
export const InvitationTokenBodySchema = z.object({ token: TokenSchema }).strict()
export type InvitationTokenBody = z.input<typeof InvitationTokenBodySchema>

/** Path of `/projects/:id…` routes. */
export const ProjectParamsSchema = z.object({ id: z.uuid() }).strict()
/** Path of `/projects/:id/members/:userId`. */
export const MemberParamsSchema = z.object({ id: z.uuid(), userId: z.uuid() }).strict()
/** Path of `/projects/:id/invitations/:invitationId…`. */
export const InvitationParamsSchema = z.object({ id: z.uuid(), invitationId: z.uuid() }).strict()

/** A project as seen by one member; `role` is the caller's. Its board document is named `id`. */
export const ProjectSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    role: RoleSchema,
    archivedAt: TimestampSchema.nullable(),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .meta({ id: 'Project' })
export type Project = z.infer<typeof ProjectSchema>

/** `GET /api/v1/projects`: mine, newest first. */
export const ProjectsListSchema = z.object({ projects: z.array(ProjectSchema) })
export type ProjectsList = z.infer<typeof ProjectsListSchema>

export const MemberSchema = z
  .object({
    userId: z.uuid(),
    email: z.string(),
    name: z.string(),
    avatarColor: z.string(),
    role: RoleSchema,
    joinedAt: TimestampSchema,
  })
  .meta({ id: 'Member' })
export type Member = z.infer<typeof MemberSchema>

/**
 * A Yjs client ID of a project's board and the user it is bound to: the author of every
 * struct (task, comment, edit) with that client ID. Bound by the server, so it cannot be forged.
 * @example const author = authors.find((a) => a.clientId === item.id.client)?.name
 */
export const ClientAuthorSchema = z
  .object({
    clientId: z.number().int(),
    userId: z.uuid(),
    /** The user's current display name ('' if the account no longer exists). */
    name: z.string(),
  })
  .meta({ id: 'ClientAuthor' })
export type ClientAuthor = z.infer<typeof ClientAuthorSchema>

/** `GET /api/v1/projects/:id/authors`. */
export const AuthorsResponseSchema = z.object({ authors: z.array(ClientAuthorSchema) })
export type AuthorsResponse = z.infer<typeof AuthorsResponseSchema>

/** A pending invitation of an address without an account (yet). */
export const InvitationSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: RoleSchema,
    createdAt: TimestampSchema,
    expiresAt: TimestampSchema,
  })
  .meta({ id: 'Invitation' })
export type Invitation = z.infer<typeof InvitationSchema>

/** `GET /api/v1/projects/:id/members`. */
export const MembersResponseSchema = z.object({
  members: z.array(MemberSchema),
  invitations: z.array(InvitationSchema),
})
export type MembersResponse = z.infer<typeof MembersResponseSchema>

/** `POST /api/v1/projects/:id/members`: either the user was added or an invitation was sent. */
export const InviteResponseSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('added'), member: MemberSchema }),
  z.object({ status: z.literal('invited'), invitation: InvitationSchema }),
])
export type InviteResponse = z.infer<typeof InviteResponseSchema>

/**
 * `POST /api/v1/invitations/lookup`: what the invitation link shows before accepting —
 * nothing more than this, since whoever holds the link sees it. Only a pending invitation
 * answers; an expired or used one answers 410 `gone`, an unknown one 404.
 */
export const InvitationPreviewSchema = z
  .object({
    projectName: z.string(),
    /** The name of whoever sent the invitation ('' if that account is gone). */
    inviterName: z.string(),
    email: z.string(),
    role: RoleSchema,
    state: z.literal('pending'),
  })
  .meta({ id: 'InvitationPreview' })
export type InvitationPreview = z.infer<typeof InvitationPreviewSchema>

/** `POST /api/v1/projects/:id/invitations/:invitationId/resend`: a new link was e-mailed. */
export const ResendInvitationResponseSchema = z.object({ invitation: InvitationSchema })
export type ResendInvitationResponse = z.infer<typeof ResendInvitationResponseSchema>
