import { randomUUID } from 'node:crypto'
import { type AuthResponse, type ChangePasswordBody, ERROR_CODES, type User } from '@taskflow/api'
import { adminEmails, isInstanceAdmin } from '../admin/admins.js'
import { readInstanceSettings } from '../admin/instance-settings.js'
import type { Config } from '../config.js'
import type { Db } from '../db/database.js'
import { AppError } from '../http/app-error.js'
import type { Logger } from '../logger.js'
import type { Mailer } from '../mail/mailer.js'
import { acceptInvitationTx } from '../projects/invitations.service.js'
import { defaultAvatarColor, toUser } from './auth.presenter.js'
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password.js'
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
import type { SyncHooks } from './sync-hooks.js'
import { tokens } from './tokens.js'
import {
  findUserByEmail,
  findUserById,
  insertUser,
  type UserRow,
  updateUser,
} from './users.repository.js'

export interface AccountsDeps {
  config: Config
  db: Db
  logger: Logger
  mailer: Mailer
  sync: SyncHooks
  now: () => number
  /** Someone added an existing account to a project (notifications). Must not throw. */
  onMemberAdded?: (e: {
    projectId: string
    projectName: string
    userId: string
    actor: { id: string; name: string }
    at: number
  }) => Promise<void>
}

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

export type AuthService = ReturnType<typeof createAuthService>

export function createAuthService(
  deps: AccountsDeps,
  limiters: AuthLimiters = createAuthLimiters(deps.config, deps.now),
) {
  const { db, config, logger, mailer, sync, now } = deps
  const admins = adminEmails(config)

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

  return {
    /** Instance admin: the first account, or listed in TASKFLOW_ADMIN_EMAILS. */
    isAdmin(user: UserRow): boolean {
      return isInstanceAdmin(user, admins)
    },

    /** Resolves a bearer token to its live session; undefined for unknown/expired/revoked. */
    async authenticate(token: string): Promise<{ user: UserRow; session: SessionRow } | undefined> {
      return findLiveSession(db, tokens.hash(token), now())
    },

    async register(
      input: { email: string; password: string; name: string; invitationToken?: string },
      ip: string,
    ): Promise<AuthResponse & { joinedProjectId?: string }> {
      enforce(limiters.registerPerIp.hit(ip))
      // Refused before any work; the token itself is checked with the insert below.
      const inviteRequired = (await readInstanceSettings(db)).signup === 'invite_only'
      if (inviteRequired && !input.invitationToken) throw inviteOnly()
      requireStrongPassword(
        input.password,
        [input.email, input.name],
        config.TASKFLOW_PASSWORD_MIN_SCORE,
      )
      const passwordHash = await hashPassword(input.password)
      const result = await db.transaction().execute(async (trx) => {
        if (await findUserByEmail(trx, input.email)) {
          throw new AppError(
            409,
            ERROR_CODES.conflict,
            'An account with this e-mail already exists',
          )
        }
        const t = now()
        // The first account administers the instance (single SQLite writer: no race).
        const first = !(await trx.selectFrom('users').select('id').limit(1).executeTakeFirst())
        const user: UserRow = {
          id: randomUUID(),
          email: input.email,
          password_hash: passwordHash,
          name: input.name,
          avatar_color: defaultAvatarColor(input.email),
          created_at: t,
          updated_at: t,
          is_admin: first || admins.has(input.email.toLowerCase()) ? 1 : 0,
          disabled_at: null,
        }
        await insertUser(trx, user)
        // A bad or expired invitation does not block an open sign-up; the user just joins
        // nothing. When sign-up is invite-only it does (the throw rolls the account back).
        const joined = input.invitationToken
          ? await acceptInvitationTx(trx, input.invitationToken, user.id, t)
          : undefined
        if (inviteRequired && !joined?.ok) throw inviteOnly()
        const auth = await openSession(trx, user)
        return joined?.ok ? { ...auth, joinedProjectId: joined.projectId } : auth
      })
      logger.info('user registered', { userId: result.user.id })
      return result
    },

    async login(input: { email: string; password: string }, ip: string): Promise<AuthResponse> {
      enforce(limiters.loginPerIp.hit(ip))
      // Checked before the password, so a refusal is the same for a right and a wrong one.
      enforce(limiters.passwordGuesses.check(input.email, ip), TOO_MANY_GUESSES)
      const user = await findUserByEmail(db, input.email)
      const ok = user
        ? await verifyPassword(user.password_hash, input.password)
        : await verifyAgainstDummy(input.password)
      if (!user || !ok) {
        limiters.passwordGuesses.failed(input.email, ip)
        throw invalidCredentials()
      }
      limiters.passwordGuesses.succeeded(input.email, ip)
      // Said only after a right password, so it tells nothing to someone guessing.
      if (user.disabled_at !== null) {
        throw new AppError(403, ERROR_CODES.forbidden, 'This account is disabled')
      }
      await deleteExpiredSessions(db, user.id, now())
      return openSession(db, user)
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
      enforce(limiters.passwordGuesses.check(user.email, ip), TOO_MANY_GUESSES)
      if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
        limiters.passwordGuesses.failed(user.email, ip)
        throw new AppError(403, ERROR_CODES.forbidden, 'Current password is incorrect')
      }
      limiters.passwordGuesses.succeeded(user.email, ip)
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
      enforce(limiters.resetRequestPerIp.hit(ip))
      enforce(limiters.resetRequestPerAccount.hit(email))
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
    },

    /** Sets a new password from an e-mailed token and signs the user out everywhere. */
    async confirmPasswordReset(token: string, newPassword: string, ip: string): Promise<void> {
      enforce(limiters.resetConfirmPerIp.hit(ip))
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
        const id = await consumePasswordReset(trx, tokens.hash(token), now())
        if (!id) return undefined
        await updateUser(trx, id, { password_hash: passwordHash, updated_at: now() })
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
