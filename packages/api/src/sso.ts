import { z } from 'zod'
import { TokenSchema } from './auth.js'

/**
 * `GET /api/v1/auth/config`: what the login page offers. `passwordLogin` is false when the
 * instance signs in through single sign-on only (TASKFLOW_OIDC_ONLY=1); `sso` is set when
 * single sign-on is configured, `label` naming the provider on the button.
 *
 * @example if (config.sso) showButton(`Sign in with ${config.sso.label}`)
 */
export const AuthConfigSchema = z
  .object({
    passwordLogin: z.boolean(),
    sso: z.object({ label: z.string() }).nullable(),
  })
  .meta({ id: 'AuthConfig' })
export type AuthConfig = z.infer<typeof AuthConfigSchema>

/** A same-app path (`/projects/x?y`), never another origin (`//evil`, `/\evil`, `https:`). */
const AppPathSchema = z
  .string()
  .max(2000)
  .regex(/^\/(?![/\\])[^\s\\]*$/, 'expected a path of this app')

/** Query of `GET /api/v1/auth/oidc/start`. */
export const SsoStartQuerySchema = z
  .object({ redirect: AppPathSchema.optional(), invitation: TokenSchema.optional() })
  .strict()
export type SsoStartQuery = z.infer<typeof SsoStartQuerySchema>

/**
 * Why a single sign-on ended without a session: the `?ssoError=` of the login page the
 * callback redirects to (docs/api.md). Nothing was created or linked in any case.
 *
 * @example const reason = SSO_ERROR_REASONS.find((r) => r === search.get('ssoError'))
 */
export const SSO_ERROR_REASONS = [
  /** Not started in this browser, expired, or already used (a replayed callback). */
  'state',
  /** The provider refused or the person cancelled there. */
  'denied',
  /** The provider's answer did not check out (code, token signature, audience, nonce...). */
  'invalid',
  /** The provider could not be reached. */
  'unavailable',
  /** The provider gave no usable e-mail address. */
  'no_email',
  /** The provider does not vouch for the address (`email_verified` is not true). */
  'email_unverified',
  /** Sign-up on this instance needs a valid invitation. */
  'invite_only',
  /** An instance admin disabled the account. */
  'disabled',
] as const
export type SsoErrorReason = (typeof SSO_ERROR_REASONS)[number]
