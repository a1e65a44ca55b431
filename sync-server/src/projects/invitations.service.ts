import { ERROR_CODES, type InvitationPreview, type Project } from '@taskflow/api'
import type { Kysely } from 'kysely'
import type { AccountsDeps } from '../auth/auth.service.js'
import { tokens } from '../auth/tokens.js'
import { findUserById } from '../auth/users.repository.js'
import type { Database } from '../db/schema.js'
import { AppError } from '../http/app-error.js'
import {
  findInvitationByTokenHash,
  type InvitationRow,
  markInvitationAccepted,
} from './invitations.repository.js'
import { findRole, insertMember } from './members.repository.js'
import { toProject } from './projects.presenter.js'
import { findProject } from './projects.repository.js'

type LinkState = { ok: true; invitation: InvitationRow } | { ok: false; reason: 'unknown' | 'gone' }

/** Where an invitation link stands at `now`: usable, unknown (or revoked), or expired/used. */
async function checkLink(db: Kysely<Database>, token: string, now: number): Promise<LinkState> {
  const invitation = await findInvitationByTokenHash(db, tokens.hash(token))
  if (!invitation) return { ok: false, reason: 'unknown' }
  if (invitation.accepted_at !== null || invitation.expires_at <= now) {
    return { ok: false, reason: 'gone' }
  }
  return { ok: true, invitation }
}

/**
 * Turns an invitation token into a membership for `userId` and marks the invitation used
 * (single use). Whoever holds the link may accept it: the link went only to the invited
 * address, and accounts are not e-mail-verified, so the address alone proves nothing.
 * A user who already belongs keeps their role. Call inside a transaction.
 */
export async function acceptInvitationTx(
  trx: Kysely<Database>,
  token: string,
  userId: string,
  now: number,
): Promise<{ ok: true; projectId: string } | { ok: false; reason: 'unknown' | 'gone' }> {
  const link = await checkLink(trx, token, now)
  if (!link.ok) return link
  const { invitation } = link
  if (!(await markInvitationAccepted(trx, invitation.id, now))) return { ok: false, reason: 'gone' }
  if (!(await findRole(trx, invitation.project_id, userId))) {
    await insertMember(trx, {
      project_id: invitation.project_id,
      user_id: userId,
      role: invitation.role,
      created_at: now,
    })
  }
  return { ok: true, projectId: invitation.project_id }
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
