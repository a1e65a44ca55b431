import { randomUUID } from 'node:crypto'
import type { Role } from '@taskflow/api'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { enqueueEvents } from '../webhooks/webhooks.repository.js'

type Conn = Kysely<Database>

export interface MemberRow {
  user_id: string
  email: string
  name: string
  avatar_color: string
  role: Role
  created_at: number
}

export async function insertMember(
  db: Conn,
  row: { project_id: string; user_id: string; role: Role; created_at: number },
): Promise<void> {
  await db.insertInto('project_members').values(row).execute()
  // Every way in (added, invitation accepted, joined at sign-up) passes here: call inside
  // the membership's transaction so the webhook event exists exactly when the member does.
  await enqueueEvents(
    db,
    row.project_id,
    [
      {
        type: 'member.added',
        key: `member.added:${randomUUID()}`,
        at: row.created_at,
        data: { projectId: row.project_id, userId: row.user_id, role: row.role },
      },
    ],
    row.created_at,
  )
}

export async function findRole(
  db: Conn,
  projectId: string,
  userId: string,
): Promise<Role | undefined> {
  const row = await db
    .selectFrom('project_members')
    .select('role')
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return row?.role
}

/** Those of `projectIds` the user is a member of (any role). */
export async function memberProjectIds(
  db: Conn,
  userId: string,
  projectIds: readonly string[],
): Promise<Set<string>> {
  if (projectIds.length === 0) return new Set()
  const rows = await db
    .selectFrom('project_members')
    .select('project_id')
    .where('user_id', '=', userId)
    .where('project_id', 'in', projectIds)
    .execute()
  return new Set(rows.map((r) => r.project_id))
}

export function listMembers(db: Conn, projectId: string): Promise<MemberRow[]> {
  return db
    .selectFrom('project_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.email', 'u.name', 'u.avatar_color', 'm.role', 'm.created_at'])
    .where('m.project_id', '=', projectId)
    .orderBy('m.created_at')
    .orderBy('u.email')
    .execute()
}

export function findMember(
  db: Conn,
  projectId: string,
  userId: string,
): Promise<MemberRow | undefined> {
  return db
    .selectFrom('project_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.email', 'u.name', 'u.avatar_color', 'm.role', 'm.created_at'])
    .where('m.project_id', '=', projectId)
    .where('m.user_id', '=', userId)
    .executeTakeFirst()
}

export async function setRole(
  db: Conn,
  projectId: string,
  userId: string,
  role: Role,
): Promise<void> {
  await db
    .updateTable('project_members')
    .set({ role })
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .execute()
}

/** Call inside the removal's transaction (its webhook event is queued with it). */
export async function deleteMember(
  db: Conn,
  projectId: string,
  userId: string,
  at: number,
): Promise<void> {
  const r = await db
    .deleteFrom('project_members')
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  if (r.numDeletedRows === 0n) return
  await enqueueEvents(
    db,
    projectId,
    [
      {
        type: 'member.removed',
        key: `member.removed:${randomUUID()}`,
        at,
        data: { projectId, userId },
      },
    ],
    at,
  )
}

export async function countOwners(db: Conn, projectId: string): Promise<number> {
  const row = await db
    .selectFrom('project_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('project_id', '=', projectId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * Accounts with one of `emails` (lower case) that share at least one project with `userId`:
 * the people an import may add to a new project without an invitation.
 */
export async function findTeammatesByEmail(
  db: Conn,
  userId: string,
  emails: readonly string[],
): Promise<Array<{ id: string; email: string; email_verified_at: number | null }>> {
  if (emails.length === 0) return []
  return db
    .selectFrom('users as u')
    .select(['u.id', 'u.email', 'u.email_verified_at'])
    .where('u.email', 'in', emails)
    .where('u.id', '!=', userId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('project_members as theirs')
          .innerJoin('project_members as mine', 'mine.project_id', 'theirs.project_id')
          .select('theirs.user_id')
          .whereRef('theirs.user_id', '=', 'u.id')
          .where('mine.user_id', '=', userId),
      ),
    )
    .execute()
}
