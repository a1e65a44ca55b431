import type { Invitation, Member, Project, Role } from '@taskflow/api'
import type { InvitationRow } from './invitations.repository.js'
import type { MemberRow } from './members.repository.js'
import type { ProjectRow } from './projects.repository.js'

const iso = (ms: number) => new Date(ms).toISOString()

export function toProject(row: ProjectRow, role: Role): Project {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    role,
    archivedAt: row.archived_at === null ? null : iso(row.archived_at),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  }
}

export function toMember(row: MemberRow): Member {
  return {
    userId: row.user_id,
    email: row.email,
    name: row.name,
    avatarColor: row.avatar_color,
    role: row.role,
    joinedAt: iso(row.created_at),
  }
}

export function toInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: iso(row.created_at),
    expiresAt: iso(row.expires_at),
  }
}
