import type { Insertable, Kysely, Selectable, Updateable } from 'kysely'
import type { Database, UsersTable } from '../db/schema.js'

export type UserRow = Selectable<UsersTable>
type Conn = Kysely<Database>

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
