import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'

export interface AuthorRow {
  client_id: number
  user_id: string
  name: string | null
}

/** Every client ID bound in a document, with its user's name (null if the user is gone). */
export function listClientAuthors(db: Kysely<Database>, docName: string): Promise<AuthorRow[]> {
  return db
    .selectFrom('client_bindings as b')
    .leftJoin('users as u', 'u.id', 'b.user_id')
    .select(['b.client_id', 'b.user_id', 'u.name'])
    .where('b.doc_name', '=', docName)
    .orderBy('b.created_at')
    .orderBy('b.client_id')
    .execute()
}
