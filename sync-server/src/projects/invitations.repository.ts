import type { Insertable, Kysely, Selectable } from 'kysely'
import type { Database, InvitationsTable } from '../db/schema.js'

export type InvitationRow = Selectable<InvitationsTable>
type Conn = Kysely<Database>

/**
 * One invitation per (project, e-mail): inviting again replaces role, link and expiry and
 * makes it pending again.
 */
export async function upsertInvitation(
  db: Conn,
  row: Insertable<InvitationsTable>,
): Promise<InvitationRow> {
  return db
    .insertInto('invitations')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['project_id', 'email']).doUpdateSet({
        role: row.role,
        token_hash: row.token_hash,
        invited_by: row.invited_by,
        created_at: row.created_at,
        expires_at: row.expires_at,
        accepted_at: null,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The invitation of a link in whatever state (pending, expired, used); callers judge it. */
export function findInvitationByTokenHash(
  db: Conn,
  tokenHash: string,
): Promise<InvitationRow | undefined> {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst()
}

export function findPendingInvitation(
  db: Conn,
  projectId: string,
  id: string,
  now: number,
): Promise<InvitationRow | undefined> {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
}

/** An invitation not yet accepted, expired or not (what revoking may delete). */
export function findUnacceptedInvitation(
  db: Conn,
  projectId: string,
  id: string,
): Promise<InvitationRow | undefined> {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .executeTakeFirst()
}

export function listPendingInvitations(
  db: Conn,
  projectId: string,
  now: number,
): Promise<InvitationRow[]> {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at')
    .execute()
}

/** Gives a pending invitation a new link and expiry (resend); returns the updated row. */
export function renewInvitation(
  db: Conn,
  projectId: string,
  id: string,
  patch: { token_hash: string; created_at: number; expires_at: number },
): Promise<InvitationRow | undefined> {
  return db
    .updateTable('invitations')
    .set(patch)
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .returningAll()
    .executeTakeFirst()
}

/**
 * Marks a pending, unexpired invitation used. Single use holds under concurrency: only one
 * caller's UPDATE matches `accepted_at is null`. Returns whether this caller used it.
 */
export async function markInvitationAccepted(db: Conn, id: string, now: number): Promise<boolean> {
  const res = await db
    .updateTable('invitations')
    .set({ accepted_at: now })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return res.numUpdatedRows > 0n
}

/** Revokes a pending invitation (used ones stay as the record of who joined by link). */
export async function deleteInvitation(db: Conn, projectId: string, id: string): Promise<boolean> {
  const res = await db
    .deleteFrom('invitations')
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .executeTakeFirst()
  return res.numDeletedRows > 0n
}

/** Pending, unexpired invitations sent to `email`, plus those among `ids` (in any project). */
export function listPendingInvitationsFor(
  db: Conn,
  email: string,
  ids: readonly string[],
  now: number,
): Promise<InvitationRow[]> {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where((eb) =>
      ids.length > 0
        ? eb.or([eb('email', '=', email), eb('id', 'in', ids)])
        : eb('email', '=', email),
    )
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at')
    .execute()
}
