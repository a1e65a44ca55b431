import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import { PostgresDdlPlugin } from './postgres-ddl.js'
import type { Database } from './schema.js'
import { withStatementCache } from './statement-cache.js'

export type Db = Kysely<Database>

/** Which SQL engine a database runs on. */
export type Dialect = 'sqlite' | 'postgres'

/**
 * `normal`: WAL with `synchronous=NORMAL` — the WAL is fsynced only at checkpoints, so a
 * committed transaction survives a crash of the process (kill -9) but the last ones may be
 * lost on power loss or an OS crash (the database stays consistent). `full`: the WAL is
 * fsynced at every commit, so each committed transaction also survives those.
 */
export type Durability = 'normal' | 'full'

/**
 * An open database, either dialect. `sqlite` is the better-sqlite3 handle for the SQLite
 * dialect's own adapter code (hot-path prepared statements, backup) and null on Postgres:
 * code outside those adapters goes through `db` (Kysely) only.
 */
export interface Storage {
  dialect: Dialect
  db: Db
  sqlite: SQLite.Database | null
  /** Closes the pool or file (after `db.destroy()`, idempotent). */
  close: () => Promise<void>
}

/**
 * Opens the SQLite file in WAL mode with the given durability (default `normal`). A Buffer
 * (from `sqlite.serialize()`) opens an in-memory copy of that database: tests copy one
 * migrated database instead of migrating each of theirs.
 */
export function openDatabase(
  file: string | Buffer,
  durability: Durability = 'normal',
): { db: Db; sqlite: SQLite.Database } {
  if (typeof file === 'string' && file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const sqlite = new SQLite(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma(durability === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  })
  return { db, sqlite }
}

/**
 * Postgres returns int8 (bigint: every integer column here, see postgres-ddl.ts, and
 * count(*)) as strings by default; our integers are millisecond times, sequence numbers and
 * counts, all far below 2^53, so they are read as numbers like SQLite gives them.
 */
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary'
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
}

export interface PostgresOptions {
  /** `postgres://…` (TASKFLOW_DATABASE_URL). */
  url: string
  /** Schema to work in (tests: one per test); default the server's search_path. */
  schema?: string
  /** Pool size (default 10). */
  max?: number
}

/** Opens a pooled Kysely on Postgres (`pg`), integer columns read as numbers. */
export function openPostgres(opts: PostgresOptions): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    types: pgTypes,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  })
  // An idle client's error (the server restarted) must not crash the process; the pool
  // drops that client and the next query opens a new one.
  pool.on('error', () => {})
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new PostgresDdlPlugin()],
  })
  return { db, pool }
}

/**
 * The server's database from its settings: Postgres when TASKFLOW_DATABASE_URL is set, else
 * the SQLite file TASKFLOW_DB (the default).
 */
export function openStorage(config: {
  TASKFLOW_DB: string
  TASKFLOW_DATABASE_URL?: string | undefined
  TASKFLOW_SYNC_DURABILITY?: Durability
}): Storage {
  if (config.TASKFLOW_DATABASE_URL) {
    const { db } = openPostgres({ url: config.TASKFLOW_DATABASE_URL })
    let ended = false
    return {
      dialect: 'postgres',
      db,
      sqlite: null,
      close: async () => {
        if (ended) return
        ended = true
        await db.destroy()
      },
    }
  }
  const { db, sqlite } = openDatabase(config.TASKFLOW_DB, config.TASKFLOW_SYNC_DURABILITY)
  return {
    dialect: 'sqlite',
    db,
    sqlite,
    close: async () => {
      await db.destroy()
      if (sqlite.open) sqlite.close()
    },
  }
}

/** The dialect a Kysely instance runs on (migrations and adapters that must differ). */
// biome-ignore lint/suspicious/noExplicitAny: works on any schema
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'
}
