import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely'
import type { Database } from './schema.js'

/**
 * Kysely that only compiles: for queries that must run inside a synchronous better-sqlite3
 * transaction (the update log's hot path), written with the query builder like every other
 * query, then prepared once with `sqlite.prepare(q.sql)` and run with the values in the
 * order of `q.parameters`.
 */
export const compileOnly = new Kysely<Database>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
})
