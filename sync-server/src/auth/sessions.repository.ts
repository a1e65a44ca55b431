import type { Insertable, Kysely, Selectable } from 'kysely'
import type { Database, SessionsTable } from '../db/schema.js'
import { USER_COLUMNS, type UserRow } from './users.repository.js'

export type SessionRow = Selectable<SessionsTable>
type Conn = Kysely<Database>

export async function insertSession(db: Conn, row: Insertable<SessionsTable>): Promise<void> {
  await db.insertInto('sessions').values(row).execute()
}

/** The live (unexpired) session with this token hash, with its user. */
export async function findLiveSession(
  db: Conn,
  tokenHash: string,
  now: number,
): Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.token_hash',
      'sessions.created_at as session_created_at',
      'sessions.expires_at',
      ...USER_COLUMNS,
    ])
    .where('sessions.token_hash', '=', tokenHash)
    // A disabled account is signed out everywhere, even if a session row survived.
    .where('users.disabled_at', 'is', null)
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst()
  if (!row) return undefined
  const { session_id, token_hash, session_created_at, expires_at, ...user } = row
  return {
    session: {
      id: session_id,
      user_id: user.id,
      token_hash,
      created_at: session_created_at,
      expires_at,
    },
    user,
  }
}

export async function deleteSession(db: Conn, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute()
}

/** Signs a user out everywhere, except `keepId` when given. */
export async function deleteUserSessions(db: Conn, userId: string, keepId?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId)
  if (keepId) q = q.where('id', '!=', keepId)
  await q.execute()
}

/** Housekeeping at sign-in; expired sessions are already refused by `findLiveSession`. */
export async function deleteExpiredSessions(db: Conn, userId: string, now: number): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('user_id', '=', userId)
    .where('expires_at', '<=', now)
    .execute()
}
