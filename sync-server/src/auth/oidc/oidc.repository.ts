import type { Insertable, Kysely, Selectable } from 'kysely'
import type { Database, OidcLoginsTable } from '../../db/schema.js'

export type OidcLoginRow = Selectable<OidcLoginsTable>
type Conn = Kysely<Database>

export async function insertOidcLogin(db: Conn, row: Insertable<OidcLoginsTable>): Promise<void> {
  await db.insertInto('oidc_logins').values(row).execute()
}

/**
 * Deletes and returns the live sign-in with this state hash: single use, so of two
 * callbacks carrying the same state (a replay) only the first finds it.
 */
export async function takeOidcLogin(
  db: Conn,
  stateHash: string,
  now: number,
): Promise<OidcLoginRow | undefined> {
  const row = await db
    .deleteFrom('oidc_logins')
    .where('state_hash', '=', stateHash)
    .returningAll()
    .executeTakeFirst()
  return row && row.expires_at > now ? row : undefined
}

/** Housekeeping: sign-ins abandoned at the provider. */
export async function deleteExpiredOidcLogins(db: Conn, now: number): Promise<void> {
  await db.deleteFrom('oidc_logins').where('expires_at', '<=', now).execute()
}

/** The account linked to the provider identity (issuer, subject), if any. */
export async function findLinkedUserId(
  db: Conn,
  issuer: string,
  subject: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('oidc_identities')
    .select('user_id')
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .executeTakeFirst()
  return row?.user_id
}

export async function linkIdentity(
  db: Conn,
  row: { issuer: string; subject: string; user_id: string; created_at: number },
): Promise<void> {
  await db.insertInto('oidc_identities').values(row).execute()
}
