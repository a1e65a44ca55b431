import { ERROR_CODES } from '@taskflow/api'
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { ApiTokenAuth } from '../api-tokens/api-token-auth.js'
import { isApiTokenSecret } from '../api-tokens/api-token-auth.js'
import { type TokenGrant, tokenPolicy } from '../api-tokens/token-policy.js'
import { AppError } from '../http/app-error.js'
import type { AuthService } from './auth.service.js'
import { enforce } from './rate-limit.js'
import type { SessionRow } from './sessions.repository.js'
import type { UserRow } from './users.repository.js'

/** The personal API token a request was authenticated with (docs/api.md, "Tokens"). */
export interface RequestApiToken extends TokenGrant {
  id: string
}

/**
 * Hono env of routes behind `requireAuth`: exactly one of `session` (signed in to the app)
 * and `apiToken` (a personal API token) is set. Routes that need a session use `sessionOf`.
 */
export interface AuthEnv {
  Variables: { user: UserRow; session?: SessionRow; apiToken?: RequestApiToken }
}

// A session token (43 base64url characters) or a personal API token (`tfp_` + 43).
const BEARER = /^Bearer ((?:tfp_)?[A-Za-z0-9_-]{43})$/

/** The token of a well-formed `Authorization: Bearer <token>` header, else undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  return BEARER.exec(header ?? '')?.[1]
}

const unauthenticated = () =>
  new AppError(401, ERROR_CODES.unauthenticated, 'Sign in required', {
    'WWW-Authenticate': 'Bearer',
  })

/**
 * Rejects with 401 unless `Authorization: Bearer <token>` names a live session or a live
 * personal API token of an enabled account. A token request is then counted against the
 * token's rate limit (429) and checked against the token policy for the route as
 * registered (403/404, `api-tokens/token-policy.ts`) before the handler runs, so every
 * route behind this middleware is covered without code of its own.
 */
export function requireAuth(auth: Pick<AuthService, 'authenticate' | 'apiTokenAuth'>) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const token = bearerToken(c.req.header('authorization'))
    if (token && isApiTokenSecret(token)) {
      await authenticateApiToken(c, auth.apiTokenAuth, token)
    } else {
      const found = token ? await auth.authenticate(token) : undefined
      if (!found) throw unauthenticated()
      c.set('user', found.user)
      c.set('session', found.session)
    }
    await next()
  })
}

async function authenticateApiToken(
  c: Context<AuthEnv>,
  apiTokens: ApiTokenAuth,
  secret: string,
): Promise<void> {
  const found = await apiTokens.authenticate(secret)
  if (!found) throw unauthenticated()
  enforce(
    await apiTokens.hit(found.token.id),
    'Too many requests with this API token; Retry-After says when to try again',
  )
  const grant: RequestApiToken = {
    id: found.token.id,
    scope: found.token.scope,
    projectIds:
      found.token.project_ids === null ? null : (JSON.parse(found.token.project_ids) as string[]),
  }
  const verdict = tokenPolicy(grant, c.req.method, c.req.routePath, c.req.param('id'))
  if (!verdict.ok) {
    const code = verdict.status === 404 ? ERROR_CODES.notFound : ERROR_CODES.forbidden
    throw new AppError(verdict.status, code, verdict.message)
  }
  c.set('user', found.user)
  c.set('apiToken', grant)
}

/**
 * The session of a signed-in request. Routes that act on the session itself (sign-out,
 * password change, live streams) call it; an API token gets 403 (the token policy refuses
 * those routes first; this keeps the handler's types honest).
 */
export function sessionOf(c: Context<AuthEnv>): SessionRow {
  const session = c.var.session
  if (!session) {
    throw new AppError(
      403,
      ERROR_CODES.forbidden,
      'This needs a signed-in session, not an API token',
    )
  }
  return session
}

/** Projects a token-authenticated request is limited to; null: no limit (or a session). */
export function tokenProjectLimit(c: Context<AuthEnv>): readonly string[] | null {
  return c.var.apiToken?.projectIds ?? null
}
