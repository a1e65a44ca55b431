import { randomUUID } from 'node:crypto'
import { EmailSchema, NameSchema, type SsoErrorReason as SsoError } from '@taskflow/api'
import { adminEmails } from '../../admin/admins.js'
import { readInstanceSettings } from '../../admin/instance-settings.js'
import type { Db } from '../../db/database.js'
import { acceptInvitationTx, joinPendingInvitationsTx } from '../../projects/invitations.service.js'
import type { AccountsDeps } from '../accounts-deps.js'
import { defaultAvatarColor } from '../auth.presenter.js'
import { deleteUserPasswordResets } from '../password-resets.repository.js'
import { deleteUserSessions, insertSession } from '../sessions.repository.js'
import { tokens } from '../tokens.js'
import {
  findUserByEmail,
  findUserById,
  insertUser,
  type UserRow,
  updateUser,
} from '../users.repository.js'
import { createOidcClient, type OidcClient, OidcFailure, type OidcIdentity } from './oidc.client.js'
import {
  deleteExpiredOidcLogins,
  findLinkedUserId,
  insertOidcLogin,
  linkIdentity,
  takeOidcLogin,
} from './oidc.repository.js'

/** Path of the redirect URI to register at the provider (under TASKFLOW_PUBLIC_URL). */
export const OIDC_CALLBACK_PATH = '/api/v1/auth/oidc/callback'

/** How long a person may spend at the provider between start and callback. */
const LOGIN_TTL_MS = 10 * 60_000
const DAY = 86_400_000

export type SsoResult =
  | {
      ok: true
      token: string
      userId: string
      created: boolean
      joinedProjectId?: string
      redirect?: string
    }
  | { ok: false; reason: SsoError }

class Refusal extends Error {
  constructor(readonly reason: SsoError) {
    super(reason)
  }
}

export type OidcService = NonNullable<ReturnType<typeof createOidcService>>

/**
 * Single sign-on through an OpenID Provider. Undefined when TASKFLOW_OIDC_ISSUER is unset.
 *
 * An account is found by the provider identity (issuer + subject) linked to it; failing
 * that, an account whose e-mail the provider vouches for (`email_verified`) is linked; failing
 * that, a new account is created when the instance's sign-up mode allows (an invitation
 * when `invite_only`). The session is an ordinary one: logout and expiry work as for
 * password sign-ins.
 */
export function createOidcService(deps: AccountsDeps, oidc?: OidcClient) {
  const { config, db, logger, sync, now } = deps
  if (!config.TASKFLOW_OIDC_ISSUER || !config.TASKFLOW_OIDC_CLIENT_ID) return undefined
  const client =
    oidc ??
    createOidcClient({
      issuer: config.TASKFLOW_OIDC_ISSUER,
      clientId: config.TASKFLOW_OIDC_CLIENT_ID,
      clientSecret: config.TASKFLOW_OIDC_CLIENT_SECRET,
      scopes: config.TASKFLOW_OIDC_SCOPES,
      redirectUri: `${config.TASKFLOW_PUBLIC_URL}${OIDC_CALLBACK_PATH}`,
      allowHttp: config.TASKFLOW_OIDC_ALLOW_HTTP === '1',
    })
  const admins = adminEmails(config)
  const redirectUri = `${config.TASKFLOW_PUBLIC_URL}${OIDC_CALLBACK_PATH}`

  // Like the password sign-in's (auth.service.ts), kept here so the two files merge apart.
  async function openSession(conn: Db, user: UserRow): Promise<string> {
    const { token, hash } = tokens.create()
    const t = now()
    await insertSession(conn, {
      id: randomUUID(),
      user_id: user.id,
      token_hash: hash,
      created_at: t,
      expires_at: t + Math.round(config.TASKFLOW_SESSION_TTL_DAYS * DAY),
    })
    return token
  }

  /** The account this identity signs into, linking or creating it; throws Refusal. */
  async function accountFor(
    trx: Db,
    who: OidcIdentity,
    invitationToken: string | null,
  ): Promise<{ user: UserRow; created: boolean; proven: boolean }> {
    const linkedId = await findLinkedUserId(trx, who.issuer, who.subject)
    const linked = linkedId ? await findUserById(trx, linkedId) : undefined
    if (linked) return { user: linked, created: false, proven: false }
    const email = EmailSchema.safeParse(who.email)
    if (!email.success) throw new Refusal('no_email')
    // An unverified address proves nothing: linking it would hand its account to whoever
    // typed it at the provider, and creating it would squat the address.
    if (!who.emailVerified) throw new Refusal('email_unverified')
    const t = now()
    const link = (user: UserRow) =>
      linkIdentity(trx, {
        issuer: who.issuer,
        subject: who.subject,
        user_id: user.id,
        created_at: t,
      })
    const existing = await findUserByEmail(trx, email.data)
    if (existing) {
      await link(existing)
      if (existing.email_verified_at !== null)
        return { user: existing, created: false, proven: false }
      // The provider proves the address an unverified account only claimed. Whoever made
      // that account may have typed someone else's address: their password and sessions
      // must not outlive the proof (as when a verification link is opened after a sign-up).
      const claimed = { ...existing, password_hash: '!sso', email_verified_at: t, updated_at: t }
      await updateUser(trx, existing.id, {
        password_hash: claimed.password_hash,
        email_verified_at: t,
        updated_at: t,
      })
      await deleteUserSessions(trx, existing.id)
      await deleteUserPasswordResets(trx, existing.id)
      return { user: claimed, created: false, proven: true }
    }
    if ((await readInstanceSettings(trx)).signup === 'invite_only' && !invitationToken) {
      throw new Refusal('invite_only')
    }
    const first = !(await trx.selectFrom('users').select('id').limit(1).executeTakeFirst())
    const name = NameSchema.safeParse(who.name)
    const user: UserRow = {
      id: randomUUID(),
      email: email.data,
      // No password: argon2 never verifies this, so only SSO (or a reset link) signs in.
      password_hash: '!sso',
      name: name.success && name.data ? name.data : email.data.split('@')[0]!,
      avatar_color: defaultAvatarColor(email.data),
      created_at: t,
      updated_at: t,
      is_admin: first || admins.has(email.data) ? 1 : 0,
      disabled_at: null,
      // The provider vouched for the address (`email_verified`, checked above).
      email_verified_at: t,
    }
    await insertUser(trx, user)
    await link(user)
    return { user, created: true, proven: true }
  }

  return {
    label: config.TASKFLOW_OIDC_BUTTON_LABEL,

    /**
     * Starts a sign-in: remembers its secrets and returns the provider's URL and the
     * `state` the browser must bring back (the route keeps it in a cookie, so a callback
     * forged into another browser finds no match). Throws OidcFailure('unavailable').
     */
    async start(input: {
      redirect?: string
      invitation?: string
    }): Promise<{ url: URL; state: string }> {
      const checks = client.newChecks()
      const url = await client.authorizationUrl(checks)
      const t = now()
      await deleteExpiredOidcLogins(db, t)
      await insertOidcLogin(db, {
        state_hash: tokens.hash(checks.state),
        nonce: checks.nonce,
        code_verifier: checks.codeVerifier,
        redirect: input.redirect ?? null,
        invitation_token: input.invitation ?? null,
        created_at: t,
        expires_at: t + LOGIN_TTL_MS,
      })
      return { url, state: checks.state }
    },

    /**
     * Finishes a sign-in from the provider's redirect. `query` is the callback's query
     * string; `browserState` the state this browser's cookie holds. Never throws for a bad
     * answer: every refusal is a reason, and leaves nothing behind.
     */
    async finish(query: string, browserState: string | undefined): Promise<SsoResult> {
      const sentState = new URLSearchParams(query).get('state')
      if (!browserState || sentState !== browserState) return { ok: false, reason: 'state' }
      const pending = await takeOidcLogin(db, tokens.hash(browserState), now())
      if (!pending) return { ok: false, reason: 'state' }
      const callbackUrl = new URL(redirectUri)
      callbackUrl.search = query
      let who: OidcIdentity
      try {
        who = await client.finish(callbackUrl, {
          state: browserState,
          nonce: pending.nonce,
          codeVerifier: pending.code_verifier,
        })
      } catch (err) {
        if (!(err instanceof OidcFailure)) throw err
        logger.warn('single sign-on refused', { reason: err.reason, detail: err.detail })
        return { ok: false, reason: err.reason }
      }
      try {
        const result = await db.transaction().execute(async (trx) => {
          const { user, created, proven } = await accountFor(trx, who, pending.invitation_token)
          if (user.disabled_at !== null) throw new Refusal('disabled')
          const t = now()
          const joined = pending.invitation_token
            ? await acceptInvitationTx(trx, pending.invitation_token, user.id, t)
            : undefined
          // As with password sign-up: invite-only lets no one in on a bad invitation.
          if (
            created &&
            !joined?.ok &&
            (await readInstanceSettings(trx)).signup === 'invite_only'
          ) {
            throw new Refusal('invite_only')
          }
          // A newly proven address joins what it was invited to, as after a verification link.
          const pendingJoined = proven ? await joinPendingInvitationsTx(trx, user, [], t) : []
          const token = await openSession(trx, user)
          return {
            token,
            userId: user.id,
            created,
            claimed: proven && !created,
            joinedProjectId: joined?.ok ? joined.projectId : pendingJoined[0],
          }
        })
        // A claimed account's earlier sessions were ended: their sockets close too.
        if (result.claimed) await sync.reauthorize({ userId: result.userId })
        else if (result.joinedProjectId) {
          await sync.reauthorize({ docName: result.joinedProjectId, userId: result.userId })
        }
        logger.info('signed in through single sign-on', {
          userId: result.userId,
          created: result.created,
        })
        const { claimed: _, ...answer } = result
        return { ok: true, ...answer, redirect: pending.redirect ?? undefined }
      } catch (err) {
        if (!(err instanceof Refusal)) throw err
        logger.info('single sign-on refused', { reason: err.reason })
        return { ok: false, reason: err.reason }
      }
    },
  }
}
