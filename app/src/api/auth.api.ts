import { z } from 'zod'
import { apiRequest } from './client'
import { okSchema, sessionResponseSchema, unwrap, userSchema } from './schemas'

/**
 * Signed in at once (201: verification off, the instance's first account, or an invited
 * address with its link), or `verification_sent` (202, TASKFLOW_EMAIL_VERIFICATION required):
 * the same answer whether or not the address already has an account.
 */
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
    schema: z.union([
      z.object({ status: z.literal('verification_sent') }),
      sessionResponseSchema.extend({ joinedProjectId: z.string().optional() }),
    ]),
  })

/** Opens an e-mailed `/verify-email/<token>` link: signs in, with the projects joined. */
export const verifyEmail = (token: string) =>
  apiRequest('/auth/verify-email', {
    method: 'POST',
    body: { token },
    schema: sessionResponseSchema.extend({ joinedProjectIds: z.array(z.string()) }),
  })

/** Always answers the same, whether or not the address has an unverified account. */
export const resendVerification = (email: string) =>
  apiRequest('/auth/verify-email/resend', { method: 'POST', body: { email }, schema: okSchema })

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
