import { ERROR_CODES, type InvitationPreview, type Project } from '@taskflow/api'
import type { Kysely } from 'kysely'
import type { AccountsDeps } from '../auth/auth.service.js'
import { tokens } from '../auth/tokens.js'
import type { Database } from '../db/schema.js'
import { AppError } from '../http/app-error.js'
import { deleteInvitation, findInvitationByTokenHash } from './invitations.repository.js'
import { findRole, insertMember } from './members.repository.js'
import { toProject } from './projects.presenter.js'
import { findProject } from './projects.repository.js'

/**
 * Turns an invitation token into a membership for `userId` and deletes the invitation
 * (single use). Whoever holds the link may accept it: the link went only to the invited
 * address, and accounts are not e-mail-verified, so the address alone proves nothing.
 * A user who already belongs keeps their role. Call inside a transaction.
 */
export async function acceptInvitationTx(
  trx: Kysely<Database>,
  token: string,
  userId: string,
  now: number,
): Promise<{ ok: true; projectId: string } | { ok: false }> {
  const invitation = await findInvitationByTokenHash(trx, tokens.hash(token), now)
  if (!invitation) return { ok: false }
  if (!(await findRole(trx, invitation.project_id, userId))) {
    await insertMember(trx, {
      project_id: invitation.project_id,
      user_id: userId,
      role: invitation.role,
      created_at: now,
    })
  }
  await deleteInvitation(trx, invitation.project_id, invitation.id)
  return { ok: true, projectId: invitation.project_id }
}

const invalid = () =>
  new AppError(404, ERROR_CODES.notFound, 'This invitation is invalid or has expired')

export type InvitationsService = ReturnType<typeof createInvitationsService>

export function createInvitationsService(deps: AccountsDeps) {
  const { db, sync, now } = deps
  return {
    /** What the link shows before sign-in; the token itself is the credential. */
    async preview(token: string): Promise<InvitationPreview> {
      const invitation = await findInvitationByTokenHash(db, tokens.hash(token), now())
      const project = invitation && (await findProject(db, invitation.project_id))
      if (!invitation || !project) throw invalid()
      return {
        projectName: project.name,
        email: invitation.email,
        role: invitation.role,
        expiresAt: new Date(invitation.expires_at).toISOString(),
      }
    },

    async accept(token: string, userId: string): Promise<Project> {
      const projectId = await db.transaction().execute(async (trx) => {
        const result = await acceptInvitationTx(trx, token, userId, now())
        return result.ok ? result.projectId : undefined
      })
      if (!projectId) throw invalid()
      await sync.reauthorize({ docName: projectId, userId })
      const project = await findProject(db, projectId)
      const role = await findRole(db, projectId, userId)
      if (!project || !role) throw invalid()
      return toProject(project, role)
    },
  }
}
