import { randomUUID } from 'node:crypto'
import {
  ERROR_CODES,
  type Invitation,
  type InviteResponse,
  type Member,
  type MembersResponse,
  type Role,
  roleAtLeast,
} from '@taskflow/api'
import type { AccountsDeps } from '../auth/accounts-deps.js'
import { enforce, hitAll } from '../auth/rate-limit.js'
import { tokens } from '../auth/tokens.js'
import { findUserByEmail } from '../auth/users.repository.js'
import { emailVerificationRequired } from '../config.js'
import type { Db } from '../db/database.js'
import { AppError } from '../http/app-error.js'
import { type AbuseLimits, createAbuseLimits } from './abuse-limits.js'
import {
  deleteInvitation,
  findPendingInvitation,
  findUnacceptedInvitation,
  listPendingInvitations,
  renewInvitation,
  upsertInvitation,
} from './invitations.repository.js'
import {
  countOwners,
  deleteMember,
  findMember,
  insertMember,
  listMembers,
  setRole,
} from './members.repository.js'
import { toInvitation, toMember } from './projects.presenter.js'
import type { ProjectAccess } from './require-role.js'

const DAY = 86_400_000

const lastOwner = () =>
  new AppError(409, ERROR_CODES.conflict, 'A project must keep at least one owner')

/** Only owners may create, change or remove owners; admins manage everyone else. */
function requireMayManage(actorRole: Role, ...roles: Role[]): void {
  if (actorRole !== 'owner' && roles.includes('owner')) {
    throw new AppError(
      403,
      ERROR_CODES.forbidden,
      'Only an owner can grant or change the owner role',
    )
  }
}

/** Throws 409 when `userId` is the project's last owner. Call inside the transaction. */
async function requireNotLastOwner(trx: Db, projectId: string, role: Role): Promise<void> {
  if (role === 'owner' && (await countOwners(trx, projectId)) <= 1) throw lastOwner()
}

export type MembersService = ReturnType<typeof createMembersService>

export function createMembersService(
  deps: AccountsDeps,
  limits: AbuseLimits = createAbuseLimits(deps.config, deps.now),
) {
  const { db, config, mailer, sync, now, logger } = deps
  const verificationRequired = emailVerificationRequired(config)

  async function findTarget(trx: Db, projectId: string, userId: string) {
    const target = await findMember(trx, projectId, userId)
    if (!target) throw new AppError(404, ERROR_CODES.notFound, 'Member not found')
    return target
  }

  /** Throws 429 once the actor or the project has sent too many invitation e-mails. */
  async function countInvite(actorId: string, projectId: string): Promise<void> {
    enforce(
      await hitAll([limits.invitesPerAccount, actorId], [limits.invitesPerProject, projectId]),
      `Too many invitations: at most ${config.TASKFLOW_INVITES_PER_HOUR} per hour from one account ` +
        `and ${config.TASKFLOW_INVITES_PER_PROJECT_PER_DAY} per day to one project; try again later`,
    )
  }

  function mailInvitation(
    to: string,
    token: string,
    actorName: string,
    projectName: string,
    role: Role,
  ): Promise<void> {
    return mailer.send({
      to,
      subject: `${actorName} invited you to ${projectName} on TaskFlow`,
      text:
        `${actorName} invited you to the project "${projectName}" as ${role}.\n\n` +
        `Open this link to sign up (or sign in) and join; it is valid for ` +
        `${config.TASKFLOW_INVITE_TTL_DAYS} days:\n\n` +
        `${config.TASKFLOW_PUBLIC_URL}/invitations/${token}\n`,
    })
  }

  return {
    /** `role`: the caller's (admins and owners also see pending invitations). */
    async list(projectId: string, role: Role): Promise<MembersResponse> {
      // Pending invitations name people who have not joined: only those who manage them see them.
      const [members, invitations] = await Promise.all([
        listMembers(db, projectId),
        roleAtLeast(role, 'admin') ? listPendingInvitations(db, projectId, now()) : [],
      ])
      return { members: members.map(toMember), invitations: invitations.map(toInvitation) }
    },

    /** Adds an existing account at once; otherwise e-mails an invitation link. */
    async invite(
      { project, role: actorRole }: ProjectAccess,
      actor: { id: string; name: string },
      input: { email: string; role: Role },
    ): Promise<InviteResponse> {
      const projectId = project.id
      requireMayManage(actorRole, input.role)
      // Counted before anything is sent: each call e-mails someone, added or invited.
      await countInvite(actor.id, projectId)
      const t = now()
      // An unverified account may belong to someone who only typed the address: it gets an
      // invitation like a stranger, and joins once the address is verified. With
      // verification off no address is ever proven, and accounts are added as they are.
      const found = await findUserByEmail(db, input.email)
      const user = found?.email_verified_at != null || !verificationRequired ? found : undefined
      if (user) {
        const member = await db.transaction().execute(async (trx) => {
          if (await findMember(trx, projectId, user.id)) {
            throw new AppError(409, ERROR_CODES.conflict, 'This user is already a member')
          }
          await insertMember(trx, {
            project_id: projectId,
            user_id: user.id,
            role: input.role,
            created_at: t,
          })
          return (await findMember(trx, projectId, user.id))!
        })
        // With notifications wired, the "added" notification is the mail (it honours the
        // user's preferences and carries an unsubscribe link); otherwise mail directly.
        if (!deps.onMemberAdded) {
          await mailer.send({
            to: user.email,
            subject: `You were added to ${project.name} on TaskFlow`,
            text: `${actor.name} added you to the project "${project.name}" as ${input.role}.\n\n${config.TASKFLOW_PUBLIC_URL}/projects/${projectId}\n`,
          })
        }
        logger.info('member added', { projectId, userId: user.id, role: input.role })
        await deps.onMemberAdded?.({
          projectId,
          projectName: project.name,
          userId: user.id,
          actor,
          at: t,
        })
        return { status: 'added', member: toMember(member) }
      }
      const { token, hash } = tokens.create()
      const invitation = await upsertInvitation(db, {
        id: randomUUID(),
        project_id: projectId,
        email: input.email,
        role: input.role,
        token_hash: hash,
        invited_by: actor.id,
        created_at: t,
        expires_at: t + config.TASKFLOW_INVITE_TTL_DAYS * DAY,
      })
      await mailInvitation(input.email, token, actor.name, project.name, input.role)
      logger.info('invitation sent', { projectId, invitationId: invitation.id, role: input.role })
      return { status: 'invited', invitation: toInvitation(invitation) }
    },

    async changeRole(
      projectId: string,
      actorRole: Role,
      targetId: string,
      role: Role,
    ): Promise<Member> {
      const member = await db.transaction().execute(async (trx) => {
        const target = await findTarget(trx, projectId, targetId)
        requireMayManage(actorRole, target.role, role)
        if (role !== 'owner') await requireNotLastOwner(trx, projectId, target.role)
        await setRole(trx, projectId, targetId, role)
        return { ...target, role }
      })
      // Demotion to viewer turns the live connection read-only at once.
      await sync.reauthorize({ docName: projectId, userId: targetId })
      return toMember(member)
    },

    async remove(projectId: string, actorRole: Role, targetId: string): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const target = await findTarget(trx, projectId, targetId)
        requireMayManage(actorRole, target.role)
        await requireNotLastOwner(trx, projectId, target.role)
        await deleteMember(trx, projectId, targetId, now())
      })
      await sync.reauthorize({ docName: projectId, userId: targetId })
    },

    async leave(projectId: string, userId: string, role: Role): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await requireNotLastOwner(trx, projectId, role)
        await deleteMember(trx, projectId, userId, now())
      })
      await sync.reauthorize({ docName: projectId, userId })
    },

    /**
     * E-mails a pending invitation again with a new link and a fresh expiry; the old link
     * stops working (only the token's hash is stored, so the old one cannot be re-sent).
     * Counts against the same limits as inviting.
     */
    async resendInvitation(
      { project, role: actorRole }: ProjectAccess,
      actor: { id: string; name: string },
      invitationId: string,
    ): Promise<Invitation> {
      const projectId = project.id
      const pending = await findPendingInvitation(db, projectId, invitationId, now())
      if (!pending) throw new AppError(404, ERROR_CODES.notFound, 'Invitation not found')
      requireMayManage(actorRole, pending.role)
      await countInvite(actor.id, projectId)
      const { token, hash } = tokens.create()
      const t = now()
      const renewed = await renewInvitation(db, projectId, invitationId, {
        token_hash: hash,
        created_at: t,
        expires_at: t + config.TASKFLOW_INVITE_TTL_DAYS * DAY,
      })
      if (!renewed) throw new AppError(404, ERROR_CODES.notFound, 'Invitation not found')
      await mailInvitation(renewed.email, token, actor.name, project.name, renewed.role)
      logger.info('invitation resent', { projectId, invitationId })
      return toInvitation(renewed)
    },

    async revokeInvitation(
      projectId: string,
      actorRole: Role,
      invitationId: string,
    ): Promise<void> {
      const invitation = await findUnacceptedInvitation(db, projectId, invitationId)
      if (!invitation) throw new AppError(404, ERROR_CODES.notFound, 'Invitation not found')
      // Revoking an owner invitation is managing the owner role, as granting it is.
      requireMayManage(actorRole, invitation.role)
      if (!(await deleteInvitation(db, projectId, invitationId))) {
        throw new AppError(404, ERROR_CODES.notFound, 'Invitation not found')
      }
    },
  }
}
