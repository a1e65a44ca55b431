import type { Insertable, Kysely, Selectable } from 'kysely'
import { USER_COLUMNS, type UserRow } from '../auth/users.repository.js'
import type { ApiTokensTable, Database } from '../db/schema.js'

export type ApiTokenRow = Selectable<ApiTokensTable>
type Conn = Kysely<Database>

export async function insertApiToken(db: Conn, row: Insertable<ApiTokensTable>): Promise<void> {
  await db.insertInto('api_tokens').values(row).execute()
}

/** The user's tokens, newest first (expired ones too: the settings page shows them). */
export async function listApiTokens(db: Conn, userId: string): Promise<ApiTokenRow[]> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute()
}

/** Tokens of the user that still work at `now` (the per-user cap counts these). */
export async function countLiveApiTokens(db: Conn, userId: string, now: number): Promise<number> {
  const row = await db
    .selectFrom('api_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Deletes one of the user's tokens; false when the user has no token with that id. */
export async function deleteApiToken(db: Conn, userId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('api_tokens')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return Number(result.numDeletedRows) > 0
}

/**
 * The unexpired token with this hash, with its owner, unless the owner is disabled: a
 * disabled account's tokens stop at once (and work again if an admin re-enables it).
 */
export async function findLiveApiToken(
  db: Conn,
  tokenHash: string,
  now: number,
): Promise<{ token: ApiTokenRow; user: UserRow } | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id as token_id',
      'api_tokens.token_hash',
      'api_tokens.name as token_name',
      'api_tokens.scope',
      'api_tokens.project_ids',
      'api_tokens.created_at as token_created_at',
      'api_tokens.expires_at',
      'api_tokens.last_used_at',
      ...USER_COLUMNS,
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('users.disabled_at', 'is', null)
    .where((eb) =>
      eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now)]),
    )
    .executeTakeFirst()
  if (!row) return undefined
  const {
    token_id,
    token_hash,
    token_name,
    scope,
    project_ids,
    token_created_at,
    expires_at,
    last_used_at,
    ...user
  } = row
  return {
    token: {
      id: token_id,
      user_id: user.id,
      token_hash,
      name: token_name,
      scope,
      project_ids,
      created_at: token_created_at,
      expires_at,
      last_used_at,
    },
    user,
  }
}

/**
 * Records a use at `now` unless one was recorded in the last `everyMs`: the condition sits
 * in the UPDATE, so concurrent requests of one token write the row at most once per period.
 */
export async function touchApiToken(
  db: Conn,
  id: string,
  now: number,
  everyMs: number,
): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', now - everyMs)]))
    .execute()
}
