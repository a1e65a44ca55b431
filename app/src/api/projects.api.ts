import {
  type CreateProjectBody,
  InvitationPreviewSchema,
  type InviteMemberBody,
  InviteResponseSchema,
  MemberSchema,
  MembersResponseSchema,
  ProjectSchema,
  ProjectsListSchema,
  ResendInvitationResponseSchema,
  type Role,
  type UpdateProjectBody,
} from '@taskflow/api'
import { apiRequest, NO_CONTENT } from './client'

const projectPath = (id: string) => `/projects/${encodeURIComponent(id)}`

export const listProjects = (opts: { archived?: boolean } = {}) =>
  apiRequest(`/projects${opts.archived ? '?archived=true' : ''}`, {
    schema: ProjectsListSchema,
  }).then((r) => r.projects)

export const getProject = (id: string) => apiRequest(projectPath(id), { schema: ProjectSchema })

export const createProject = (body: CreateProjectBody) =>
  apiRequest('/projects', { method: 'POST', body, schema: ProjectSchema })

export const updateProject = (id: string, patch: UpdateProjectBody) =>
  apiRequest(projectPath(id), { method: 'PATCH', body: patch, schema: ProjectSchema })

export const archiveProject = (id: string) =>
  apiRequest(`${projectPath(id)}/archive`, { method: 'POST', schema: ProjectSchema })

export const restoreProject = (id: string) =>
  apiRequest(`${projectPath(id)}/restore`, { method: 'POST', schema: ProjectSchema })

export const deleteProject = (id: string) =>
  apiRequest(projectPath(id), { method: 'DELETE', schema: NO_CONTENT })

export const listMembers = (projectId: string) =>
  apiRequest(`${projectPath(projectId)}/members`, { schema: MembersResponseSchema }).then(
    (r) => r.members,
  )

/** Either the account was added at once, or an invitation link was e-mailed. */
export const inviteMember = (projectId: string, body: InviteMemberBody) =>
  apiRequest(`${projectPath(projectId)}/members`, {
    method: 'POST',
    body,
    schema: InviteResponseSchema,
  })

/** Pending invitations (the server lists them to admins and owners only). */
export const listInvitations = (projectId: string) =>
  apiRequest(`${projectPath(projectId)}/members`, { schema: MembersResponseSchema }).then(
    (r) => r.invitations,
  )

const invitationPath = (projectId: string, id: string) =>
  `${projectPath(projectId)}/invitations/${encodeURIComponent(id)}`

/** E-mails a new link (the old one stops working). */
export const resendInvitation = (projectId: string, id: string) =>
  apiRequest(`${invitationPath(projectId, id)}/resend`, {
    method: 'POST',
    schema: ResendInvitationResponseSchema,
  })

export const revokeInvitation = (projectId: string, id: string) =>
  apiRequest(invitationPath(projectId, id), { method: 'DELETE', schema: NO_CONTENT })

/** What an invitation link shows; 404 unknown, 410 expired or used. Token in the body. */
export const lookupInvitation = (token: string) =>
  apiRequest('/invitations/lookup', {
    method: 'POST',
    body: { token },
    schema: InvitationPreviewSchema,
  })

export const acceptInvitation = (token: string) =>
  apiRequest('/invitations/accept', { method: 'POST', body: { token }, schema: ProjectSchema })

export const changeMemberRole = (projectId: string, userId: string, role: Role) =>
  apiRequest(`${projectPath(projectId)}/members/${encodeURIComponent(userId)}`, {
    method: 'PATCH',
    body: { role },
    schema: MemberSchema,
  })

export const removeMember = (projectId: string, userId: string) =>
  apiRequest(`${projectPath(projectId)}/members/${encodeURIComponent(userId)}`, {
    method: 'DELETE',
    schema: NO_CONTENT,
  })

export const leaveProject = (projectId: string) =>
  apiRequest(`${projectPath(projectId)}/leave`, { method: 'POST', schema: NO_CONTENT })
