import { ERROR_CODES, type InvitationPreview, type Project } from '@taskflow/api'
import type { Kysely } from 'kysely'
import type { AccountsDeps } from '../auth/accounts-deps.js'
import { tokens } from '../auth/tokens.js'
import { findUserById } from '../auth/users.repository.js'
import type { Database } from '../db/schema.js'
import { AppError } from '../http/app-error.js'
import {
  findInvitationByTokenHash,
  type InvitationRow,
  listPendingInvitationsFor,
  markInvitationAccepted,
} from './invitations.repository.js'
import { findRole, insertMember } from './members.repository.js'
import { toProject } from './projects.presenter.js'
import { findProject } from './projects.repository.js'

type LinkState = { ok: true; invitation: InvitationRow } | { ok: false; reason: 'unknown' | 'gone' }

/** Where an invitation link stands at `now`: usable, unknown (or revoked), or expired/used. */
export async function checkLink(
  db: Kysely<Database>,
  token: string,
  now: number,
): Promise<LinkState> {
  const invitation = await findInvitationByTokenHash(db, tokens.hash(token))
  if (!invitation) return { ok: false, reason: 'unknown' }
  if (invitation.accepted_at !== null || invitation.expires_at <= now) {
    return { ok: false, reason: 'gone' }
  }
  return { ok: true, invitation }
}

/** Marks `invitation` used and adds `userId` with its role (a member keeps their role). */
async function joinTx(
  trx: Kysely<Database>,
  invitation: InvitationRow,
  userId: string,
  now: number,
): Promise<boolean> {
  if (!(await markInvitationAccepted(trx, invitation.id, now))) return false
  if (!(await findRole(trx, invitation.project_id, userId))) {
    await insertMember(trx, {
      project_id: invitation.project_id,
      user_id: userId,
      role: invitation.role,
      created_at: now,
    })
  }
  return true
}

/**
 * Turns an invitation token into a membership for `userId` and marks the invitation used
 * (single use). Whoever holds the link may accept it: the link went only to the invited
 * address, so holding it is the proof (a signed-in account with another address may use
 * it too). A user who already belongs keeps their role. Call inside a transaction.
 */
export async function acceptInvitationTx(
  trx: Kysely<Database>,
  token: string,
  userId: string,
  now: number,
): Promise<{ ok: true; projectId: string } | { ok: false; reason: 'unknown' | 'gone' }> {
  const link = await checkLink(trx, token, now)
  if (!link.ok) return link
  if (!(await joinTx(trx, link.invitation, userId, now))) return { ok: false, reason: 'gone' }
  return { ok: true, projectId: link.invitation.project_id }
}

/**
 * Once an account's address is proven (verification link, invitation link, reset link), it
 * joins every pending invitation sent to that address, and the invitations in `alsoIds`
 * (links it signed up with while giving another address). Never before: an unverified
 * account may belong to someone who only typed the address. Returns the joined project
 * ids, oldest invitation first. Call inside a transaction.
 */
export async function joinPendingInvitationsTx(
  trx: Kysely<Database>,
  user: { id: string; email: string },
  alsoIds: readonly string[],
  now: number,
): Promise<string[]> {
  const joined: string[] = []
  for (const invitation of await listPendingInvitationsFor(trx, user.email, alsoIds, now)) {
    if (await joinTx(trx, invitation, user.id, now)) joined.push(invitation.project_id)
  }
  return joined
}

/** One answer per reason, so the page can explain an expired or used link. */
const refusal = (reason: 'unknown' | 'gone') =>
  reason === 'gone'
    ? new AppError(
        410,
        ERROR_CODES.gone,
        'This invitation has expired or was already used; ask the project admin for a new one',
      )
    : new AppError(404, ERROR_CODES.notFound, 'This invitation link is not valid')

export type InvitationsService = ReturnType<typeof createInvitationsService>

export function createInvitationsService(deps: AccountsDeps) {
  const { db, sync, now } = deps
  return {
    /** What the link shows before sign-in; the token itself is the credential. */
    async preview(token: string): Promise<InvitationPreview> {
      const link = await checkLink(db, token, now())
      if (!link.ok) throw refusal(link.reason)
      const { invitation } = link
      const project = await findProject(db, invitation.project_id)
      if (!project) throw refusal('unknown')
      const inviter = invitation.invited_by
        ? await findUserById(db, invitation.invited_by)
        : undefined
      return {
        projectName: project.name,
        inviterName: inviter?.name ?? '',
        email: invitation.email,
        role: invitation.role,
        state: 'pending',
      }
    },

    async accept(token: string, userId: string): Promise<Project> {
      const result = await db
        .transaction()
        .execute((trx) => acceptInvitationTx(trx, token, userId, now()))
      if (!result.ok) throw refusal(result.reason)
      const { projectId } = result
      await sync.reauthorize({ docName: projectId, userId })
      const project = await findProject(db, projectId)
      const role = await findRole(db, projectId, userId)
      if (!project || !role) throw refusal('unknown')
      return toProject(project, role)
    },
  }
}
