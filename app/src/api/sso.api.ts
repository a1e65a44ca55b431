import { AuthConfigSchema, MeSchema } from '@taskflow/api'
import { config } from '../config'
import { ApiError, apiRequest } from './client'
import type { User } from './schemas'

export type { AuthConfig } from '@taskflow/api'

/** What the login page offers: password sign-in, single sign-on, or both. */
export const getAuthConfig = () => apiRequest('/auth/config', { schema: AuthConfigSchema })

/**
 * Where "Sign in with …" navigates (a full page load: the server sends the browser on to
 * the provider). `redirect`: the app page to open afterwards; `invitation`: a project
 * invitation to accept with this sign-in.
 */
export function ssoStartUrl(opts: { redirect?: string; invitation?: string }): string {
  const query = new URLSearchParams()
  if (opts.redirect) query.set('redirect', opts.redirect)
  if (opts.invitation) query.set('invitation', opts.invitation)
  const qs = query.toString()
  return `${config.apiBase}/auth/oidc/start${qs ? `?${qs}` : ''}`
}

/** The account of a session token the app does not hold yet (the SSO hand-over). */
export async function userOfToken(token: string): Promise<User> {
  let res: Response
  try {
    res = await fetch(`${config.apiBase}/me`, {
      headers: { accept: 'application/json', authorization: `Bearer ${token}` },
    })
  } catch {
    throw new ApiError(0, 'network', 'You are offline or the server cannot be reached.')
  }
  const parsed = MeSchema.safeParse(await res.json().catch(() => null))
  if (!res.ok || !parsed.success) {
    throw new ApiError(res.status, 'unauthenticated', 'The sign-in could not be completed.')
  }
  return parsed.data
}
