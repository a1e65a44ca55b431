import type { Insertable, Kysely, Selectable, Updateable } from 'kysely'
import type { Database, UsersTable } from '../db/schema.js'

export type UserRow = Selectable<UsersTable>
type Conn = Kysely<Database>

/**
 * Every column of `users`, qualified, for queries that join a credential (session, API
 * token) to its owner and must return a whole `UserRow`.
 */
export const USER_COLUMNS = [
  'users.id',
  'users.email',
  'users.password_hash',
  'users.name',
  'users.avatar_color',
  'users.created_at',
  'users.updated_at',
  'users.is_admin',
  'users.disabled_at',
  'users.email_verified_at',
] as const

/** `email` must already be normalised (lower-cased), as the API schemas do. */
export function findUserByEmail(db: Conn, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()
}

export function findUserById(db: Conn, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function insertUser(db: Conn, row: Insertable<UsersTable>): Promise<void> {
  await db.insertInto('users').values(row).execute()
}

export async function updateUser(
  db: Conn,
  id: string,
  patch: Updateable<UsersTable>,
): Promise<void> {
  await db.updateTable('users').set(patch).where('id', '=', id).execute()
}
