import { z } from 'zod'
import { apiRequest } from './client'
import { okSchema, sessionResponseSchema, unwrap, userSchema } from './schemas'

export const register = (body: {
  email: string
  password: string
  name: string
  /** From an invitation link: the new account joins that project. */
  invitationToken?: string
}) =>
  apiRequest('/auth/register', {
    method: 'POST',
    body,
    schema: sessionResponseSchema.extend({ joinedProjectId: z.string().optional() }),
  })

export const login = (body: { email: string; password: string }) =>
  apiRequest('/auth/login', { method: 'POST', body, schema: sessionResponseSchema })

export const logout = () => apiRequest('/auth/logout', { method: 'POST', schema: okSchema })

export const getMe = () => apiRequest('/me', { schema: unwrap('user', userSchema) })

export const updateMe = (patch: { name?: string; email?: string }) =>
  apiRequest('/me', { method: 'PATCH', body: patch, schema: unwrap('user', userSchema) })

/** Always answers the same, whether or not the address has an account. */
export const requestPasswordReset = (email: string) =>
  apiRequest('/auth/password-reset/request', { method: 'POST', body: { email }, schema: okSchema })

export const confirmPasswordReset = (body: { token: string; newPassword: string }) =>
  apiRequest('/auth/password-reset/confirm', { method: 'POST', body, schema: okSchema })

/** Keeps this session; signs out every other one. */
export const changePassword = (body: { currentPassword: string; newPassword: string }) =>
  apiRequest('/me/password', { method: 'POST', body, schema: okSchema })
