import type SQLite from 'better-sqlite3'
import type { SqliteDatabase, SqliteStatement } from 'kysely'

/** Distinct SQL texts kept prepared; past this the cache starts over (IN lists of many sizes). */
const MAX_STATEMENTS = 512

/**
 * The better-sqlite3 handle as Kysely's SqliteDialect sees it, with each SQL text prepared
 * once. Kysely's driver prepares every query it runs; on the relay path (the group commit)
 * and in the derivation engine's writes, preparing cost more CPU than running the statement
 * (≈ 12 % of the server's busy time in a 50-client relay profile). A cached statement still
 * being iterated (a streamed select) is busy: that query gets a fresh one.
 */
export function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => {
      cache.clear()
      sqlite.close()
    },
    prepare(sql: string): SqliteStatement {
      const cached = cache.get(sql)
      if (cached && !cached.busy) return cached
      const stmt = sqlite.prepare(sql)
      if (!cached) {
        if (cache.size >= MAX_STATEMENTS) cache.clear()
        cache.set(sql, stmt)
      }
      return stmt
    },
  }
}
