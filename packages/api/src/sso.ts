/**
 * `GET /api/v1/auth/config`: what the login page offers.
 *
 * @example if (config.sso) showButton(`Sign in with ${config.sso.label}`)
 */
export interface AuthConfig {
  /** False when the instance signs in through single sign-on only (TASKFLOW_OIDC_ONLY=1). */
  passwordLogin: boolean
  /** Set when single sign-on is configured; `label` names the provider on the button. */
  sso: { label: string } | null
}

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
