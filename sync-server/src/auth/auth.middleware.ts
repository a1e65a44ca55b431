import { ERROR_CODES } from '@taskflow/api'
import { createMiddleware } from 'hono/factory'
import { AppError } from '../http/app-error.js'
import type { AuthService } from './auth.service.js'
import type { SessionRow } from './sessions.repository.js'
import type { UserRow } from './users.repository.js'

/** Hono env of routes behind `requireAuth`. */
export interface AuthEnv {
  Variables: { user: UserRow; session: SessionRow }
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{43})$/

/** The token of a well-formed `Authorization: Bearer <token>` header, else undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  return BEARER.exec(header ?? '')?.[1]
}

/** Rejects with 401 unless `Authorization: Bearer <token>` names a live session. */
export function requireAuth(auth: Pick<AuthService, 'authenticate'>) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const token = bearerToken(c.req.header('authorization'))
    const found = token ? await auth.authenticate(token) : undefined
    if (!found) {
      throw new AppError(401, ERROR_CODES.unauthenticated, 'Sign in required', {
        'WWW-Authenticate': 'Bearer',
      })
    }
    c.set('user', found.user)
    c.set('session', found.session)
    await next()
  })
}
