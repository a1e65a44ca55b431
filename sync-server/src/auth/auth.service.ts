import { randomUUID } from 'node:crypto'
import {
  type AuthResponse,
  type ChangePasswordBody,
  ERROR_CODES,
  type User,
  type VerifyEmailResponse,
} from '@taskflow/api'
import { adminEmails, isInstanceAdmin } from '../admin/admins.js'
import { readInstanceSettings } from '../admin/instance-settings.js'
import { createApiTokenAuth } from '../api-tokens/api-token-auth.js'
import { emailVerificationRequired } from '../config.js'
import type { Db } from '../db/database.js'
import { AppError } from '../http/app-error.js'
import {
  acceptInvitationTx,
  checkLink,
  joinPendingInvitationsTx,
} from '../projects/invitations.service.js'
import type { AccountsDeps } from './accounts-deps.js'
import { defaultAvatarColor, toUser } from './auth.presenter.js'
import {
  consumeEmailVerification,
  findEmailVerification,
  insertEmailVerification,
  rememberedInvitations,
} from './email-verifications.repository.js'
import { hashPassword, primeDummyHash, verifyAgainstDummy, verifyPassword } from './password.js'
import { checkPassword } from './password-policy.js'
import {
  consumePasswordReset,
  deleteUserPasswordResets,
  findPasswordResetUser,
  insertPasswordReset,
} from './password-resets.repository.js'
import { enforce } from './rate-limit.js'
import { type AuthLimiters, createAuthLimiters } from './rate-limits.js'
import {
  deleteExpiredSessions,
  deleteSession,
  deleteUserSessions,
  findLiveSession,
  insertSession,
  type SessionRow,
} from './sessions.repository.js'
import { tokens } from './tokens.js'
import {
  findUserByEmail,
  findUserById,
  insertUser,
  type UserRow,
  updateUser,
} from './users.repository.js'

const DAY = 86_400_000

/** Throws 400 weak_password for a guessable new password of the account `email`/`name`. */
function requireStrongPassword(password: string, account: string[], minScore: number): void {
  const verdict = checkPassword(password, account, minScore)
  if (!verdict.ok) throw new AppError(400, ERROR_CODES.weakPassword, verdict.message)
}

const TOO_MANY_GUESSES =
  'Too many wrong passwords for this account from your network; wait before trying again ' +
  '(Retry-After says how long), or reset your password by e-mail'

const inviteOnly = () =>
  new AppError(
    403,
    ERROR_CODES.forbidden,
    'Sign-up on this instance is by invitation only: open the invitation link you were sent',
  )

const invalidCredentials = () =>
  new AppError(401, ERROR_CODES.unauthenticated, 'Invalid e-mail or password')

const HOUR = 3_600_000

/** What registration answers: signed in at once, or "open the e-mailed link first". */
export type RegisterResult =
  | { status: 'signed_in'; auth: AuthResponse & { joinedProjectId?: string } }
  | { status: 'verification_sent' }

export type AuthService = ReturnType<typeof createAuthService>

export function createAuthService(
  deps: AccountsDeps,
  limiters: AuthLimiters = createAuthLimiters(deps.config, deps.now),
) {
  const { db, config, logger, mailer, sync, now, afterResponse } = deps
  const admins = adminEmails(config)
  /** TASKFLOW_EMAIL_VERIFICATION: off answers sign-ups at once (and 409 for a known address). */
  const verificationRequired = emailVerificationRequired(config)
  void primeDummyHash()

  async function openSession(conn: Db, user: UserRow): Promise<AuthResponse> {
    const { token, hash } = tokens.create()
    const t = now()
    const expiresAt = t + Math.round(config.TASKFLOW_SESSION_TTL_DAYS * DAY)
    await insertSession(conn, {
      id: randomUUID(),
      user_id: user.id,
      token_hash: hash,
      created_at: t,
      expires_at: expiresAt,
    })
    return { user: toUser(user), token, expiresAt: new Date(expiresAt).toISOString() }
  }

  /** Stores a new verification link of `user`; returns its token (for the mail). */
  async function createVerificationLink(
    conn: Db,
    userId: string,
    invitationId: string | null,
  ): Promise<string> {
    const { token, hash } = tokens.create()
    const t = now()
    await insertEmailVerification(conn, {
      token_hash: hash,
      user_id: userId,
      invitation_id: invitationId,
      created_at: t,
      expires_at: t + config.TASKFLOW_VERIFY_TTL_HOURS * HOUR,
      used_at: null,
    })
    return token
  }

  /** Mails a verification link. Call outside a transaction (the outbox mailer writes too). */
  function mailVerification(to: string, token: string): Promise<void> {
    return mailer.send({
      to,
      subject: 'Confirm your e-mail address for TaskFlow',
      text:
        `Someone (we hope you) signed up to TaskFlow with this e-mail address.\n\n` +
        `To confirm it and sign in, open this link within ` +
        `${config.TASKFLOW_VERIFY_TTL_HOURS} hours:\n\n` +
        `${config.TASKFLOW_PUBLIC_URL}/verify-email/${token}\n\n` +
        `If it was not you, ignore this message: the account stays inactive.\n`,
    })
  }

  /**
   * The part of a sign-up that runs after the answer. A new address gets an unverified
   * account and a link; an unverified one takes the newest password and name (whoever
   * opens the link owns the mailbox, so an earlier stranger's password must not win) and
   * gets a new link; a verified one gets only a note and changes nothing.
   */
  async function registerLater(
    email: string,
    passwordHash: string,
    name: string,
    invitationId: string | null,
    build: () => UserRow,
  ): Promise<void> {
    const outcome = await db.transaction().execute(async (trx) => {
      const existing = await findUserByEmail(trx, email)
      if (existing && existing.email_verified_at !== null) return { known: existing.email }
      const user = existing ? { ...existing, password_hash: passwordHash, name } : build()
      if (existing) {
        await updateUser(trx, user.id, { password_hash: passwordHash, name, updated_at: now() })
      } else {
        await insertUser(trx, user)
      }
      const token = await createVerificationLink(trx, user.id, invitationId)
      return { known: undefined, user, token }
    })
    if (outcome.known !== undefined) {
      await mailer.send({
        to: outcome.known,
        subject: 'Someone tried to sign up to TaskFlow with your address',
        text:
          `Someone tried to create a TaskFlow account with this e-mail address, which ` +
          `already has one. Nothing was changed.\n\n` +
          `If it was you, sign in: ${config.TASKFLOW_PUBLIC_URL}/login\n` +
          `Forgot your password? Reset it: ${config.TASKFLOW_PUBLIC_URL}/forgot-password\n\n` +
          `If it was not you, you can ignore this message.\n`,
      })
      return
    }
    const { user, token } = outcome
    await mailVerification(user.email, token)
    logger.info('user registered', { userId: user.id, verified: false })
  }

  /**
   * Sign-up with verification off: the account is created and signed in at once, and a known
   * address is refused with 409 (which tells anyone whether an address has an account). It
   * joins the invitation whose link it came with. Its address counts as verified only when
   * that is proven anyway (the first account, an invited address with its link); the others
   * stay unverified, so they join pending invitations to their address only once they open a
   * verification link (and must, to sign in, if verification is turned on later).
   */
  async function registerUnverified(
    input: { email: string; invitationToken?: string },
    inviteRequired: boolean,
    newUser: (verifiedAt: number | null, first: boolean) => UserRow,
  ): Promise<AuthResponse & { joinedProjectId?: string }> {
    return db.transaction().execute(async (trx) => {
      if (await findUserByEmail(trx, input.email)) {
        throw new AppError(409, ERROR_CODES.conflict, 'An account with this e-mail already exists')
      }
      const t = now()
      const first = !(await trx.selectFrom('users').select('id').limit(1).executeTakeFirst())
      const link = input.invitationToken
        ? await checkLink(trx, input.invitationToken, t)
        : undefined
      // A bad or expired invitation does not block an open sign-up; the user just joins
      // nothing. When sign-up is invite-only it does.
      if (inviteRequired && !link?.ok) throw inviteOnly()
      const proven = first || (link?.ok === true && link.invitation.email === input.email)
      const user = newUser(proven ? t : null, first)
      await insertUser(trx, user)
      const joined = input.invitationToken
        ? await acceptInvitationTx(trx, input.invitationToken, user.id, t)
        : undefined
      const others = proven ? await joinPendingInvitationsTx(trx, user, [], t) : []
      const auth = await openSession(trx, user)
      const joinedProjectId = joined?.ok ? joined.projectId : others[0]
      return joinedProjectId ? { ...auth, joinedProjectId } : auth
    })
  }

  return {
    /** Personal API tokens (`tfp_…`) as REST credentials; `requireAuth` uses it. */
    apiTokenAuth: createApiTokenAuth({
      db,
      now,
      logger,
      requestsPerMinute: config.TASKFLOW_API_TOKEN_REQUESTS_PER_MINUTE,
      config,
    }),

    /** Instance admin: the first account, or listed in TASKFLOW_ADMIN_EMAILS. */
    isAdmin(user: UserRow): boolean {
      return isInstanceAdmin(user, admins)
    },

    /** Resolves a bearer token to its live session; undefined for unknown/expired/revoked. */
    async authenticate(token: string): Promise<{ user: UserRow; session: SessionRow } | undefined> {
      return findLiveSession(db, tokens.hash(token), now())
    },

    /**
     * With verification off (TASKFLOW_EMAIL_VERIFICATION), every sign-up is signed in at once
     * and a known address answers 409, as before verified accounts existed: see
     * `registerUnverified`. Otherwise the instance's first account, and an invited address
     * signing up with its invitation link, are signed in at once (the link proved the address; before the first account
     * there is nothing to enumerate). Everyone else gets the same `verification_sent`
     * after the same work, whether or not the address has an account: a new address gets
     * an unverified account and a verification link, a known one a "someone tried to sign
     * up" mail, both sent after the answer.
     */
    async register(
      input: { email: string; password: string; name: string; invitationToken?: string },
      ip: string,
    ): Promise<RegisterResult> {
      enforce(await limiters.registerPerIp.hit(ip))
      enforce(await limiters.registerPerAddress.hit(input.email))
      // Refused before any work; the token itself is checked in the transaction below.
      const inviteRequired = (await readInstanceSettings(db)).signup === 'invite_only'
      if (inviteRequired && !input.invitationToken) throw inviteOnly()
      requireStrongPassword(
        input.password,
        [input.email, input.name],
        config.TASKFLOW_PASSWORD_MIN_SCORE,
      )
      // Hashed on every path, so the answer takes as long for a known address as a new one.
      const passwordHash = await hashPassword(input.password)
      const t = now()
      const newUser = (verifiedAt: number | null, first: boolean): UserRow => ({
        id: randomUUID(),
        email: input.email,
        password_hash: passwordHash,
        name: input.name,
        avatar_color: defaultAvatarColor(input.email),
        created_at: t,
        updated_at: t,
        is_admin: first || admins.has(input.email.toLowerCase()) ? 1 : 0,
        disabled_at: null,
        email_verified_at: verifiedAt,
      })
      if (!verificationRequired) {
        const auth = await registerUnverified(input, inviteRequired, newUser)
        logger.info('user registered', { userId: auth.user.id, verified: false })
        return { status: 'signed_in', auth }
      }
      const outcome = await db.transaction().execute(async (trx) => {
        // The first account administers the instance (single SQLite writer: no race).
        const first = !(await trx.selectFrom('users').select('id').limit(1).executeTakeFirst())
        const link = input.invitationToken
          ? await checkLink(trx, input.invitationToken, t)
          : undefined
        // A bad or expired invitation does not block an open sign-up; the user just joins
        // nothing. When sign-up is invite-only it does.
        if (inviteRequired && !link?.ok) throw inviteOnly()
        const invitation = link?.ok ? link.invitation : undefined
        const invitedHere = invitation?.email === input.email
        if (!first && !invitedHere) {
          return { auth: undefined, invitationId: invitation?.id ?? null }
        }
        // Only the invited address can be taken here; its owner may have an account already.
        if (await findUserByEmail(trx, input.email)) return { auth: undefined, invitationId: null }
        const user = newUser(t, first)
        await insertUser(trx, user)
        const joined = input.invitationToken
          ? await acceptInvitationTx(trx, input.invitationToken, user.id, t)
          : undefined
        const others = await joinPendingInvitationsTx(trx, user, [], t)
        const auth = await openSession(trx, user)
        const joinedProjectId = joined?.ok ? joined.projectId : others[0]
        return { auth: joinedProjectId ? { ...auth, joinedProjectId } : auth, invitationId: null }
      })
      if (outcome.auth) {
        logger.info('user registered', { userId: outcome.auth.user.id, verified: true })
        return { status: 'signed_in', auth: outcome.auth }
      }
      afterResponse.run('sign-up mail', () =>
        registerLater(input.email, passwordHash, input.name, outcome.invitationId, () =>
          newUser(null, false),
        ),
      )
      return { status: 'verification_sent' }
    },

    async login(input: { email: string; password: string }, ip: string): Promise<AuthResponse> {
      enforce(await limiters.loginPerIp.hit(ip))
      // Checked before the password, so a refusal is the same for a right and a wrong one.
      enforce(await limiters.passwordGuesses.check(input.email, ip), TOO_MANY_GUESSES)
      const user = await findUserByEmail(db, input.email)
      // An unknown address costs one argon2 check too, with the same parameters.
      const ok = user
        ? await verifyPassword(user.password_hash, input.password)
        : await verifyAgainstDummy(input.password)
      if (!user || !ok) {
        await limiters.passwordGuesses.failed(input.email, ip)
        throw invalidCredentials()
      }
      await limiters.passwordGuesses.succeeded(input.email, ip)
      // Said only after a right password, so it tells nothing to someone guessing.
      if (user.disabled_at !== null) {
        throw new AppError(403, ERROR_CODES.forbidden, 'This account is disabled')
      }
      if (verificationRequired && user.email_verified_at === null) {
        throw new AppError(
          403,
          ERROR_CODES.emailUnverified,
          'Verify your e-mail address first: open the link we sent you, or ask for a new one',
        )
      }
      await deleteExpiredSessions(db, user.id, now())
      return openSession(db, user)
    },

    /**
     * Opens an e-mailed verification link: the account counts as verified, joins the
     * invitations pending for its address, and is signed in. Single use.
     */
    async verifyEmail(token: string, ip: string): Promise<VerifyEmailResponse> {
      enforce(await limiters.verifyEmailPerIp.hit(ip))
      const hash = tokens.hash(token)
      const t = now()
      const result = await db.transaction().execute(async (trx) => {
        const row = await findEmailVerification(trx, hash)
        const user = row && (await findUserById(trx, row.user_id))
        if (!user) return { ok: false as const, reason: 'unknown' as const }
        if (user.disabled_at !== null) {
          throw new AppError(403, ERROR_CODES.forbidden, 'This account is disabled')
        }
        // Another link of an account already verified is as used as this one.
        if (user.email_verified_at !== null || !(await consumeEmailVerification(trx, hash, t))) {
          return { ok: false as const, reason: 'gone' as const }
        }
        await updateUser(trx, user.id, { email_verified_at: t, updated_at: t })
        const verified = { ...user, email_verified_at: t, updated_at: t }
        const also = await rememberedInvitations(trx, user.id)
        const joinedProjectIds = await joinPendingInvitationsTx(trx, verified, also, t)
        const auth = await openSession(trx, verified)
        return { ok: true as const, response: { ...auth, joinedProjectIds } }
      })
      if (!result.ok) {
        throw result.reason === 'gone'
          ? new AppError(
              410,
              ERROR_CODES.gone,
              'This verification link has expired or was already used: sign in, or ask for a new link',
            )
          : new AppError(404, ERROR_CODES.notFound, 'This verification link is not valid')
      }
      logger.info('e-mail verified', {
        userId: result.response.user.id,
        joined: result.response.joinedProjectIds.length,
      })
      return result.response
    },

    /** Always succeeds the same way: a new link goes out only to an unverified account. */
    async resendVerification(email: string, ip: string): Promise<void> {
      enforce(await limiters.verifyResendPerIp.hit(ip))
      enforce(await limiters.verifyResendPerAccount.hit(email))
      afterResponse.run('verification resend', async () => {
        const user = await findUserByEmail(db, email)
        if (!user || user.email_verified_at !== null) return
        await mailVerification(user.email, await createVerificationLink(db, user.id, null))
      })
    },

    async logout(session: SessionRow): Promise<void> {
      await deleteSession(db, session.id)
      await sync.reauthorize({ sessionId: session.id })
    },

    async updateMe(user: UserRow, patch: { name?: string; avatarColor?: string }): Promise<User> {
      const next: UserRow = {
        ...user,
        name: patch.name ?? user.name,
        avatar_color: patch.avatarColor?.toLowerCase() ?? user.avatar_color,
        updated_at: now(),
      }
      await updateUser(db, user.id, {
        name: next.name,
        avatar_color: next.avatar_color,
        updated_at: next.updated_at,
      })
      return toUser(next)
    },

    /** Signs out every other session of the user; the calling one stays valid. */
    async changePassword(
      user: UserRow,
      session: SessionRow,
      input: ChangePasswordBody,
      ip: string,
    ): Promise<void> {
      // A stolen session must not become a password oracle: the same throttle as logins.
      enforce(await limiters.passwordGuesses.check(user.email, ip), TOO_MANY_GUESSES)
      if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
        await limiters.passwordGuesses.failed(user.email, ip)
        throw new AppError(403, ERROR_CODES.forbidden, 'Current password is incorrect')
      }
      await limiters.passwordGuesses.succeeded(user.email, ip)
      requireStrongPassword(
        input.newPassword,
        [user.email, user.name],
        config.TASKFLOW_PASSWORD_MIN_SCORE,
      )
      const passwordHash = await hashPassword(input.newPassword)
      await db.transaction().execute(async (trx) => {
        await updateUser(trx, user.id, { password_hash: passwordHash, updated_at: now() })
        await deleteUserSessions(trx, user.id, session.id)
        await deleteUserPasswordResets(trx, user.id)
      })
      await sync.reauthorize({ userId: user.id })
    },

    /** Always succeeds the same way, whether or not the e-mail has an account. */
    async requestPasswordReset(email: string, ip: string): Promise<void> {
      enforce(await limiters.resetRequestPerIp.hit(ip))
      enforce(await limiters.resetRequestPerAccount.hit(email))
      afterResponse.run('password reset mail', async () => {
        const user = await findUserByEmail(db, email)
        if (!user) return
        const { token, hash } = tokens.create()
        const t = now()
        await insertPasswordReset(db, {
          token_hash: hash,
          user_id: user.id,
          created_at: t,
          expires_at: t + config.TASKFLOW_RESET_TTL_MINUTES * 60_000,
          used_at: null,
        })
        const link = `${config.TASKFLOW_PUBLIC_URL}/reset-password?token=${token}`
        await mailer.send({
          to: user.email,
          subject: 'Reset your TaskFlow password',
          text:
            `Someone asked to reset the password of your TaskFlow account.\n\n` +
            `To choose a new password, open this link within ` +
            `${config.TASKFLOW_RESET_TTL_MINUTES} minutes:\n\n${link}\n\n` +
            `If it was not you, ignore this message; your password stays as it is.\n`,
        })
      })
    },

    /** Sets a new password from an e-mailed token and signs the user out everywhere. */
    async confirmPasswordReset(token: string, newPassword: string, ip: string): Promise<void> {
      enforce(await limiters.resetConfirmPerIp.hit(ip))
      const invalidLink = () =>
        new AppError(400, ERROR_CODES.badRequest, 'This reset link is invalid or has expired')
      // The link is checked first, so only its holder learns whether a password is accepted.
      const owner = await findPasswordResetUser(db, tokens.hash(token), now())
      const account = owner && (await findUserById(db, owner))
      if (!account) throw invalidLink()
      requireStrongPassword(
        newPassword,
        [account.email, account.name],
        config.TASKFLOW_PASSWORD_MIN_SCORE,
      )
      const passwordHash = await hashPassword(newPassword)
      const userId = await db.transaction().execute(async (trx) => {
        const t = now()
        const id = await consumePasswordReset(trx, tokens.hash(token), t)
        if (!id) return undefined
        await updateUser(trx, id, { password_hash: passwordHash, updated_at: t })
        // The reset link reached the address, so it proves it as a verification link would.
        if (account.email_verified_at === null) {
          await updateUser(trx, id, { email_verified_at: t })
          await joinPendingInvitationsTx(trx, account, await rememberedInvitations(trx, id), t)
        }
        await deleteUserSessions(trx, id)
        await deleteUserPasswordResets(trx, id)
        return id
      })
      if (!userId) throw invalidLink()
      await sync.reauthorize({ userId })
      logger.info('password reset', { userId })
    },
  }
}
