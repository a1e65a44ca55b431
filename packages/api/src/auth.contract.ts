import { MeSchema } from './admin.js'
import {
  AuthResponseSchema,
  ChangePasswordBodySchema,
  LoginBodySchema,
  PasswordResetConfirmBodySchema,
  PasswordResetRequestBodySchema,
  RegisterBodySchema,
  RequestedSchema,
  UpdateMeBodySchema,
  UserSchema,
  VerificationSentSchema,
  VerifyEmailBodySchema,
  VerifyEmailResendBodySchema,
  VerifyEmailResponseSchema,
} from './auth.js'
import { defineRoute } from './registry.js'

const tag = 'Accounts'
const noContent = { description: 'Done; no body' }
const ssoOnly = 'With `TASKFLOW_OIDC_ONLY=1`: sign in through the provider instead'

/** `/auth/*` (password accounts) and `/me*`. */
export const AUTH_ROUTES = [
  defineRoute({
    method: 'post',
    path: '/auth/register',
    tag,
    auth: 'none',
    summary: 'Create an account',
    description:
      'Answers 201 (signed in: the first account, an invited address, or verification off) or 202 (an e-mailed link must be opened first; the same answer whether or not the address has an account).',
    body: RegisterBodySchema,
    responses: {
      201: { description: 'Created and signed in', schema: AuthResponseSchema },
      202: { description: 'Verification e-mail sent', schema: VerificationSentSchema },
    },
    errors: {
      403: `Sign-up is by invitation only. ${ssoOnly}`,
      409: 'An account with this e-mail exists (verification off only)',
      429: 'Too many sign-ups from this IP or for this address',
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/verify-email',
    tag,
    auth: 'none',
    summary: 'Verify an e-mail address and sign in',
    body: VerifyEmailBodySchema,
    responses: { 200: VerifyEmailResponseSchema },
    errors: {
      403: 'The account is disabled',
      404: 'Unknown link',
      410: 'Expired or already used',
      429: 'Too many attempts from this IP',
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/verify-email/resend',
    tag,
    auth: 'none',
    summary: 'Mail a new verification link',
    body: VerifyEmailResendBodySchema,
    responses: {
      202: { description: 'Requested (the same for every address)', schema: RequestedSchema },
    },
    errors: { 429: 'Too many requests from this IP or for this address' },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/login',
    tag,
    auth: 'none',
    summary: 'Sign in with e-mail and password',
    body: LoginBodySchema,
    responses: { 200: AuthResponseSchema },
    errors: {
      401: 'Wrong e-mail or password',
      403: `The account is disabled, or its address is not verified (\`email_unverified\`). ${ssoOnly}`,
      429: 'This IP must wait (wrong passwords)',
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/logout',
    tag,
    auth: 'session',
    summary: 'Sign out this session',
    responses: { 204: noContent },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/password-reset/request',
    tag,
    auth: 'none',
    summary: 'Mail a password reset link',
    body: PasswordResetRequestBodySchema,
    responses: {
      202: { description: 'Requested (the same for every address)', schema: RequestedSchema },
    },
    errors: { 403: ssoOnly, 429: 'Too many requests from this IP or for this address' },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/password-reset/confirm',
    tag,
    auth: 'none',
    summary: 'Set a new password with a reset link',
    body: PasswordResetConfirmBodySchema,
    responses: { 204: noContent },
    errors: {
      400: 'Invalid, used or expired link (`bad_request`), a weak password (`weak_password`), or invalid input',
      403: ssoOnly,
      429: 'Too many attempts from this IP',
    },
  }),
  defineRoute({
    method: 'get',
    path: '/me',
    tag,
    auth: 'token',
    summary: 'The signed-in user',
    responses: { 200: MeSchema },
  }),
  defineRoute({
    method: 'patch',
    path: '/me',
    tag,
    auth: 'session',
    summary: 'Change my name or avatar colour',
    body: UpdateMeBodySchema,
    responses: { 200: UserSchema },
  }),
  defineRoute({
    method: 'post',
    path: '/me/password',
    tag,
    auth: 'session',
    summary: 'Change my password (signs out my other sessions)',
    body: ChangePasswordBodySchema,
    responses: { 204: noContent },
    errors: {
      400: 'Invalid input, or a weak new password (`weak_password`)',
      403: `The current password is wrong. ${ssoOnly}`,
      429: 'Wrong current passwords: this IP must wait',
    },
  }),
]
