import { z } from 'zod'
import { apiRequest } from './client'
import { memberInputSchema, okSchema, projectSchema, type Role, unwrap } from './schemas'

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

export const inviteMember = (projectId: string, body: { email: string; role: Role }) =>
  apiRequest(`${projectPath(projectId)}/members`, { method: 'POST', body, schema: okSchema })

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
