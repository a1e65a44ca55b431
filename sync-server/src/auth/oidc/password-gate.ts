import { ERROR_CODES } from '@taskflow/api'
import type { Hono } from 'hono'
import type { Config } from '../../config.js'
import { AppError } from '../../http/app-error.js'

/** Routes that sign in, sign up or set a password: closed when sign-in is SSO-only. */
const PASSWORD_ROUTES = [
  '/auth/login',
  '/auth/register',
  '/auth/password-reset/request',
  '/auth/password-reset/confirm',
  '/me/password',
]

/**
 * With TASKFLOW_OIDC_ONLY=1 people sign in through the OpenID Provider only: password
 * sign-in, sign-up and password changes answer 403 before any other check. Installs
 * nothing otherwise. Call before the routes are mounted.
 */
export function closePasswordRoutes(app: Hono, config: Config): void {
  if (config.TASKFLOW_OIDC_ONLY !== '1') return
  const label = config.TASKFLOW_OIDC_BUTTON_LABEL
  for (const path of PASSWORD_ROUTES) {
    app.post(path, () => {
      throw new AppError(
        403,
        ERROR_CODES.forbidden,
        `This server signs in through ${label} only: use "Sign in with ${label}"`,
      )
    })
  }
}
