import { sql } from 'kysely'
import { type Db, dialectOf } from './database.js'

/**
 * Bytes the database takes on disk: SQLite's pages of the main file (the WAL left out), or
 * the Postgres database the server is connected to (every schema in it, indexes included).
 */
export async function databaseBytes(db: Db): Promise<number> {
  const size =
    dialectOf(db) === 'postgres'
      ? sql<{ bytes: number }>`SELECT pg_database_size(current_database()) AS bytes`
      : sql<{
          bytes: number
        }>`SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()`
  const { rows } = await size.execute(db)
  return Number(rows[0]?.bytes ?? 0)
}
