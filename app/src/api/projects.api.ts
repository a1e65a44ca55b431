import { z } from 'zod'
import { apiRequest } from './client'
import {
  invitationPreviewSchema,
  invitationSchema,
  memberInputSchema,
  okSchema,
  projectSchema,
  type Role,
  unwrap,
} from './schemas'

const projectPath = (id: string) => `/projects/${encodeURIComponent(id)}`

export const listProjects = (opts: { archived?: boolean } = {}) =>
  apiRequest(`/projects${opts.archived ? '?archived=true' : ''}`, {
    schema: unwrap('projects', z.array(projectSchema)),
  })

export const getProject = (id: string) =>
  apiRequest(projectPath(id), { schema: unwrap('project', projectSchema) })

export const createProject = (body: { name: string; description: string }) =>
  apiRequest('/projects', { method: 'POST', body, schema: unwrap('project', projectSchema) })

export const updateProject = (id: string, patch: { name?: string; description?: string }) =>
  apiRequest(projectPath(id), {
    method: 'PATCH',
    body: patch,
    schema: unwrap('project', projectSchema.partial({ role: true })),
  })

export const archiveProject = (id: string) =>
  apiRequest(`${projectPath(id)}/archive`, { method: 'POST', schema: okSchema })

export const restoreProject = (id: string) =>
  apiRequest(`${projectPath(id)}/restore`, { method: 'POST', schema: okSchema })

export const deleteProject = (id: string) =>
  apiRequest(projectPath(id), { method: 'DELETE', schema: okSchema })

export const listMembers = (projectId: string) =>
  apiRequest(`${projectPath(projectId)}/members`, {
    schema: unwrap('members', z.array(memberInputSchema)),
  })

/** Either the account was added at once, or an invitation link was e-mailed. */
export const inviteMember = (projectId: string, body: { email: string; role: Role }) =>
  apiRequest(`${projectPath(projectId)}/members`, {
    method: 'POST',
    body,
    schema: z.object({ status: z.enum(['added', 'invited']) }),
  })

/** Pending invitations (the server lists them to admins and owners only). */
export const listInvitations = (projectId: string) =>
  apiRequest(`${projectPath(projectId)}/members`, {
    schema: z.object({ invitations: z.array(invitationSchema).catch([]) }),
  }).then((r) => r.invitations)

const invitationPath = (projectId: string, id: string) =>
  `${projectPath(projectId)}/invitations/${encodeURIComponent(id)}`

/** E-mails a new link (the old one stops working). */
export const resendInvitation = (projectId: string, id: string) =>
  apiRequest(`${invitationPath(projectId, id)}/resend`, { method: 'POST', schema: okSchema })

export const revokeInvitation = (projectId: string, id: string) =>
  apiRequest(invitationPath(projectId, id), { method: 'DELETE', schema: okSchema })

/** What an invitation link shows; 404 unknown, 410 expired or used. Token in the body. */
export const lookupInvitation = (token: string) =>
  apiRequest('/invitations/lookup', {
    method: 'POST',
    body: { token },
    schema: invitationPreviewSchema,
  })

export const acceptInvitation = (token: string) =>
  apiRequest('/invitations/accept', {
    method: 'POST',
    body: { token },
    schema: unwrap('project', projectSchema),
  })

export const changeMemberRole = (projectId: string, userId: string, role: Role) =>
  apiRequest(`${projectPath(projectId)}/members/${encodeURIComponent(userId)}`, {
    method: 'PATCH',
    body: { role },
    schema: okSchema,
  })

export const removeMember = (projectId: string, userId: string) =>
  apiRequest(`${projectPath(projectId)}/members/${encodeURIComponent(userId)}`, {
    method: 'DELETE',
    schema: okSchema,
  })

export const leaveProject = (projectId: string) =>
  apiRequest(`${projectPath(projectId)}/leave`, { method: 'POST', schema: okSchema })
