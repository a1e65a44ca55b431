import type { Insertable, Kysely, Selectable } from 'kysely'
import type { Database, InvitationsTable } from '../db/schema.js'

export type InvitationRow = Selectable<InvitationsTable>
type Conn = Kysely<Database>

/** One pending invitation per (project, e-mail): inviting again replaces role, link and expiry. */
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
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function findInvitationByTokenHash(
  db: Conn,
  tokenHash: string,
  now: number,
): Promise<InvitationRow | undefined> {
  return db
    .selectFrom('invitations')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
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
    .where('expires_at', '>', now)
    .orderBy('created_at')
    .execute()
}

/** Returns whether a row was deleted. */
export async function deleteInvitation(db: Conn, projectId: string, id: string): Promise<boolean> {
  const res = await db
    .deleteFrom('invitations')
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .executeTakeFirst()
  return res.numDeletedRows > 0n
}
