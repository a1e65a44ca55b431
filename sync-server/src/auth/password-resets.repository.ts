import type { Insertable, Kysely } from 'kysely'
import type { Database, PasswordResetsTable } from '../db/schema.js'

type Conn = Kysely<Database>

export async function insertPasswordReset(
  db: Conn,
  row: Insertable<PasswordResetsTable>,
): Promise<void> {
  await db.insertInto('password_resets').values(row).execute()
}

/** The user of an unused, unexpired reset token, without using it up. */
export async function findPasswordResetUser(
  db: Conn,
  tokenHash: string,
  now: number,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('password_resets')
    .select('user_id')
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()
  return row?.user_id
}

/**
 * Marks an unused, unexpired reset token as used and returns its user. Single use holds
 * under concurrency: only one caller's UPDATE matches `used_at is null`. Call in a transaction.
 */
export async function consumePasswordReset(
  db: Conn,
  tokenHash: string,
  now: number,
): Promise<string | undefined> {
  const row = await db
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning('user_id')
    .executeTakeFirst()
  return row?.user_id
}

/** Invalidates every other outstanding link of the user (after a reset or password change). */
export async function deleteUserPasswordResets(db: Conn, userId: string): Promise<void> {
  await db.deleteFrom('password_resets').where('user_id', '=', userId).execute()
}
