import { z } from 'zod'
import { EmailSchema, singleLineName, TokenSchema } from './auth.js'

/**
 * Project roles, strongest first: owner (everything, incl. delete), admin (manage members
 * and settings), member (edit the board), viewer (read only).
 * @example if (roleAtLeast(project.role, 'member')) enableEditing()
 */
export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const
export type Role = (typeof ROLES)[number]
export const RoleSchema = z.enum(ROLES)

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

/** A project as seen by one member; `role` is the caller's. Its board document is named `id`. */
export interface Project {
  id: string
  name: string
  description: string
  role: Role
  archivedAt: string | null
  createdAt: string
  updatedAt: string
}

export interface Member {
  userId: string
  email: string
  name: string
  avatarColor: string
  role: Role
  joinedAt: string
}

/**
 * A Yjs client ID of a project's board and the user it is bound to: the author of every
 * struct (task, comment, edit) with that client ID. Bound by the server, so it cannot be forged.
 * @example const author = authors.find((a) => a.clientId === item.id.client)?.name
 */
export interface ClientAuthor {
  clientId: number
  userId: string
  /** The user's current display name ('' if the account no longer exists). */
  name: string
}

/** `GET /api/v1/projects/:id/authors`. */
export interface AuthorsResponse {
  authors: ClientAuthor[]
}

/** A pending invitation of an address without an account (yet). */
export interface Invitation {
  id: string
  email: string
  role: Role
  createdAt: string
  expiresAt: string
}

/** `GET /api/v1/projects/:id/members`. */
export interface MembersResponse {
  members: Member[]
  invitations: Invitation[]
}

/** `POST /api/v1/projects/:id/members`: either the user was added or an invitation was sent. */
export type InviteResponse =
  | { status: 'added'; member: Member }
  | { status: 'invited'; invitation: Invitation }

/**
 * `POST /api/v1/invitations/lookup`: what the invitation link shows before accepting —
 * nothing more than this, since whoever holds the link sees it. Only a pending invitation
 * answers; an expired or used one answers 410 `gone`, an unknown one 404.
 */
export interface InvitationPreview {
  projectName: string
  /** The name of whoever sent the invitation ('' if that account is gone). */
  inviterName: string
  email: string
  role: Role
  state: 'pending'
}

/** `POST /api/v1/projects/:id/invitations/:invitationId/resend`: a new link was e-mailed. */
export interface ResendInvitationResponse {
  invitation: Invitation
}
