import {
  ChangePasswordBodySchema,
  LoginBodySchema,
  PasswordResetConfirmBodySchema,
  PasswordResetRequestBodySchema,
  RegisterBodySchema,
  UpdateMeBodySchema,
  type VerificationSent,
  VerifyEmailBodySchema,
  VerifyEmailResendBodySchema,
} from '@taskflow/api'
import { Hono } from 'hono'
import { NoQuerySchema, validate } from '../http/validate.js'
import { type AuthEnv, requireAuth, sessionOf } from './auth.middleware.js'
import { toUser } from './auth.presenter.js'
import type { AuthService } from './auth.service.js'
import { clientIp } from './client-ip.js'

/** `/auth/*` and `/me*`, mounted under `/api/v1`. */
export function authRoutes(auth: AuthService, opts: { trustProxy: boolean }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>()
  const signedIn = requireAuth(auth)
  const noQuery = validate('query', NoQuerySchema)

  app.post('/auth/register', noQuery, validate('json', RegisterBodySchema), async (c) => {
    const result = await auth.register(c.req.valid('json'), clientIp(c, opts.trustProxy))
    if (result.status === 'signed_in') return c.json(result.auth, 201)
    // The same answer whether or not the address has an account (no enumeration).
    return c.json<VerificationSent>({ status: 'verification_sent' }, 202)
  })

  app.post('/auth/verify-email', noQuery, validate('json', VerifyEmailBodySchema), async (c) =>
    c.json(await auth.verifyEmail(c.req.valid('json').token, clientIp(c, opts.trustProxy))),
  )

  app.post(
    '/auth/verify-email/resend',
    noQuery,
    validate('json', VerifyEmailResendBodySchema),
    async (c) => {
      await auth.resendVerification(c.req.valid('json').email, clientIp(c, opts.trustProxy))
      return c.json({ status: 'requested' }, 202)
    },
  )

  app.post('/auth/login', noQuery, validate('json', LoginBodySchema), async (c) =>
    c.json(await auth.login(c.req.valid('json'), clientIp(c, opts.trustProxy))),
  )

  app.post('/auth/logout', noQuery, signedIn, async (c) => {
    await auth.logout(sessionOf(c))
    return c.body(null, 204)
  })

  app.post(
    '/auth/password-reset/request',
    noQuery,
    validate('json', PasswordResetRequestBodySchema),
    async (c) => {
      await auth.requestPasswordReset(c.req.valid('json').email, clientIp(c, opts.trustProxy))
      return c.json({ status: 'requested' }, 202)
    },
  )

  app.post(
    '/auth/password-reset/confirm',
    noQuery,
    validate('json', PasswordResetConfirmBodySchema),
    async (c) => {
      const { token, newPassword } = c.req.valid('json')
      await auth.confirmPasswordReset(token, newPassword, clientIp(c, opts.trustProxy))
      return c.body(null, 204)
    },
  )

  app.get('/me', noQuery, signedIn, (c) =>
    c.json({ ...toUser(c.var.user), admin: auth.isAdmin(c.var.user) }),
  )

  app.patch('/me', noQuery, signedIn, validate('json', UpdateMeBodySchema), async (c) =>
    c.json(await auth.updateMe(c.var.user, c.req.valid('json'))),
  )

  app.post(
    '/me/password',
    noQuery,
    signedIn,
    validate('json', ChangePasswordBodySchema),
    async (c) => {
      const ip = clientIp(c, opts.trustProxy)
      await auth.changePassword(c.var.user, sessionOf(c), c.req.valid('json'), ip)
      return c.body(null, 204)
    },
  )

  return app
}
