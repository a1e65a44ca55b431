import { z } from 'zod'
import { SSO_ERROR_CODES } from '../features/auth/sso-errors'

const AUTH_PAGES = ['/login', '/signup']

/**
 * Where to go after signing in, as a same-app path. A redirect to the login page itself
 * (several requests failing with 401 at once each sending the user to login) is unwrapped
 * to the page it was taking the user back to, so `?redirect=` never nests.
 */
export function redirectTarget(value: string): string | undefined {
  let target = value
  for (let depth = 0; depth < 10; depth++) {
    if (!target.startsWith('/') || target.startsWith('//')) return undefined
    const url = new URL(target, 'http://app.invalid')
    if (!AUTH_PAGES.includes(url.pathname)) return target
    const inner = url.searchParams.get('redirect')
    if (!inner) return undefined
    target = inner
  }
  return undefined
}

/**
 * `?redirect=/projects/abc` — where to go after signing in; only same-app paths are honoured.
 * `?reason=expired` — sent here because the server no longer accepts the session.
 * `?ssoError=state` — a single sign-on failed (features/auth/sso-errors.ts).
 */
export const authSearchSchema = z.object({
  redirect: z
    .string()
    .transform((v) => redirectTarget(v))
    .optional()
    .catch(undefined),
  /** Sign-up from an invitation link: the new account joins that project. */
  invitation: z
    .string()
    .regex(/^[A-Za-z0-9_-]{20,200}$/)
    .optional()
    .catch(undefined),
  /** Prefills the e-mail field (the invited address). */
  email: z.email().optional().catch(undefined),
  reason: z.literal('expired').optional().catch(undefined),
  /** A single sign-on that came back without a session, and why. */
  ssoError: z.enum(SSO_ERROR_CODES).optional().catch(undefined),
})
export type AuthSearch = z.infer<typeof authSearchSchema>

/** `?token=` of the e-mailed reset link. */
export const resetSearchSchema = z.object({
  token: z.string().min(1).optional().catch(undefined),
})
