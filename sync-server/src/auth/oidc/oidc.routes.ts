import {
  type AuthConfig,
  ERROR_CODES,
  type SsoErrorReason,
  SsoStartQuerySchema,
} from '@taskflow/api'
import type { Context } from 'hono'
import { Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Clock } from '../../clock.js'
import type { Config } from '../../config.js'
import { AppError } from '../../http/app-error.js'
import { NoQuerySchema, validate } from '../../http/validate.js'
import { clientIp } from '../client-ip.js'
import { enforce, rateLimiter } from '../rate-limit.js'
import { OidcFailure } from './oidc.client.js'
import type { OidcService } from './oidc.service.js'

/** Holds the sign-in's `state` in the browser that started it (login CSRF protection). */
const STATE_COOKIE = 'taskflow_oidc_state'
const COOKIE_PATH = '/api/v1/auth/oidc'

/** Sign-ins one address may start in 10 minutes (a person needs a few). */
export const SSO_STARTS_PER_IP = { limit: 30, windowMs: 10 * 60_000 }

/**
 * `GET /auth/config` (what the login page offers) and the two legs of single sign-on,
 * mounted under `/api/v1`. Both legs are browser navigations: they answer with redirects,
 * the success one to the app's `/auth/sso` page with the session token in the URL fragment
 * (never sent to a server, so neither logs nor a Referer carry it).
 */
export function oidcRoutes(config: Config, oidc: OidcService | undefined, now: Clock): Hono {
  const app = new Hono()
  // Each start stores a row until it expires: one address cannot pile them up.
  const startsPerIp = rateLimiter(config, 'sso.startsPerIp', { ...SSO_STARTS_PER_IP, now })
  const trustProxy = config.TASKFLOW_TRUST_PROXY === '1'
  const secure = config.TASKFLOW_PUBLIC_URL.startsWith('https://')
  const passwordLogin = !(oidc && config.TASKFLOW_OIDC_ONLY === '1')

  app.get('/auth/config', validate('query', NoQuerySchema), (c) =>
    c.json<AuthConfig>({ passwordLogin, sso: oidc ? { label: oidc.label } : null }),
  )

  const requireSso = (): OidcService => {
    if (!oidc) {
      throw new AppError(404, ERROR_CODES.notFound, 'Single sign-on is not set up on this server')
    }
    return oidc
  }

  const toLogin = (c: Context, reason: SsoErrorReason) => {
    c.header('Cache-Control', 'no-store')
    return c.redirect(`/login?ssoError=${reason}`, 302)
  }

  app.get('/auth/oidc/start', validate('query', SsoStartQuerySchema), async (c) => {
    const sso = requireSso()
    enforce(await startsPerIp.hit(clientIp(c, trustProxy)))
    try {
      const { url, state } = await sso.start(c.req.valid('query'))
      setCookie(c, STATE_COOKIE, state, {
        path: COOKIE_PATH,
        httpOnly: true,
        secure,
        // Lax: the provider's redirect back is a top-level GET from another site.
        sameSite: 'Lax',
        maxAge: 600,
      })
      c.header('Cache-Control', 'no-store')
      return c.redirect(url.href, 302)
    } catch (err) {
      if (err instanceof OidcFailure) return toLogin(c, err.reason)
      throw err
    }
  })

  // The provider adds parameters of its own (iss, session_state...): none is rejected here,
  // openid-client checks the ones that matter.
  app.get('/auth/oidc/callback', async (c) => {
    const sso = requireSso()
    const browserState = getCookie(c, STATE_COOKIE)
    deleteCookie(c, STATE_COOKIE, { path: COOKIE_PATH, secure })
    const result = await sso.finish(new URL(c.req.url).search, browserState)
    if (!result.ok) return toLogin(c, result.reason)
    const next = result.joinedProjectId ? `/projects/${result.joinedProjectId}` : result.redirect
    const fragment = new URLSearchParams({ token: result.token, ...(next ? { next } : {}) })
    c.header('Cache-Control', 'no-store')
    return c.redirect(`/auth/sso#${fragment}`, 302)
  })

  return app
}
