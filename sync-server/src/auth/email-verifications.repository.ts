import type { Insertable, Kysely, Selectable } from 'kysely'
import type { Database, EmailVerificationsTable } from '../db/schema.js'

type Conn = Kysely<Database>
export type EmailVerificationRow = Selectable<EmailVerificationsTable>

export async function insertEmailVerification(
  db: Conn,
  row: Insertable<EmailVerificationsTable>,
): Promise<void> {
  await db.insertInto('email_verifications').values(row).execute()
}

/** The row of a link in whatever state (pending, used, expired); callers judge it. */
export function findEmailVerification(
  db: Conn,
  tokenHash: string,
): Promise<EmailVerificationRow | undefined> {
  return db
    .selectFrom('email_verifications')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst()
}

/**
 * Marks an unused, unexpired link used. Single use holds under concurrency: only one
 * caller's UPDATE matches `used_at is null`. Returns whether this caller used it.
 */
export async function consumeEmailVerification(
  db: Conn,
  tokenHash: string,
  now: number,
): Promise<boolean> {
  const res = await db
    .updateTable('email_verifications')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return res.numUpdatedRows > 0n
}

/** Invitations remembered by any of the user's links (sign-up with another address's link). */
export async function rememberedInvitations(db: Conn, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('email_verifications')
    .select('invitation_id')
    .where('user_id', '=', userId)
    .where('invitation_id', 'is not', null)
    .execute()
  return rows.map((r) => r.invitation_id!)
}
