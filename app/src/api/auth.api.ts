import {
  AuthResponseSchema,
  type ChangePasswordBody,
  type LoginBody,
  MeSchema,
  type PasswordResetConfirmBody,
  type RegisterBody,
  RequestedSchema,
  type UpdateMeBody,
  UserSchema,
  VerificationSentSchema,
  VerifyEmailResponseSchema,
} from '@taskflow/api'
import { z } from 'zod'
import { apiRequest, NO_CONTENT } from './client'

/**
 * Signed in at once (201: verification off, the instance's first account, or an invited
 * address with its link), or `verification_sent` (202, TASKFLOW_EMAIL_VERIFICATION required):
 * the same answer whether or not the address already has an account.
 */
export const register = (body: RegisterBody) =>
  apiRequest('/auth/register', {
    method: 'POST',
    body,
    schema: z.union([VerificationSentSchema, AuthResponseSchema]),
  })

/** Opens an e-mailed `/verify-email/<token>` link: signs in, with the projects joined. */
export const verifyEmail = (token: string) =>
  apiRequest('/auth/verify-email', {
    method: 'POST',
    body: { token },
    schema: VerifyEmailResponseSchema,
  })

/** Always answers the same, whether or not the address has an unverified account. */
export const resendVerification = (email: string) =>
  apiRequest('/auth/verify-email/resend', {
    method: 'POST',
    body: { email },
    schema: RequestedSchema,
  })

export const login = (body: LoginBody) =>
  apiRequest('/auth/login', { method: 'POST', body, schema: AuthResponseSchema })

export const logout = () => apiRequest('/auth/logout', { method: 'POST', schema: NO_CONTENT })

export const getMe = () => apiRequest('/me', { schema: MeSchema })

export const updateMe = (patch: UpdateMeBody) =>
  apiRequest('/me', { method: 'PATCH', body: patch, schema: UserSchema })

/** Always answers the same, whether or not the address has an account. */
export const requestPasswordReset = (email: string) =>
  apiRequest('/auth/password-reset/request', {
    method: 'POST',
    body: { email },
    schema: RequestedSchema,
  })

export const confirmPasswordReset = (body: PasswordResetConfirmBody) =>
  apiRequest('/auth/password-reset/confirm', { method: 'POST', body, schema: NO_CONTENT })

/** Keeps this session; signs out every other one. */
export const changePassword = (body: ChangePasswordBody) =>
  apiRequest('/me/password', { method: 'POST', body, schema: NO_CONTENT })
