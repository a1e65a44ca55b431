import { SSO_ERROR_REASONS, type SsoErrorReason } from '@taskflow/api'

/**
 * Why a single sign-on came back without a session (the server's `?ssoError=` reasons,
 * docs/api.md), each with the sentence the login page shows. Only these codes travel in
 * the URL, so nobody can make the page show a text of their own.
 */
export const SSO_ERROR_MESSAGES: Record<SsoErrorReason, string> = {
  state:
    'That sign-in link expired or was already used, or it was started in another browser. Please sign in again.',
  denied: 'The sign-in provider did not let you in (or the sign-in was cancelled).',
  invalid:
    "The sign-in provider's answer could not be verified, so you were not signed in. Please try again.",
  unavailable: 'The sign-in provider cannot be reached right now. Please try again later.',
  no_email: 'The sign-in provider did not give an e-mail address for your account.',
  email_unverified:
    'The sign-in provider has not verified your e-mail address, so it cannot be used to sign in here. Verify it at the provider, then try again.',
  invite_only:
    'This TaskFlow is open by invitation only: open the invitation link you were sent, then sign in.',
  disabled: 'This account is disabled.',
}

export const SSO_ERROR_CODES = SSO_ERROR_REASONS
