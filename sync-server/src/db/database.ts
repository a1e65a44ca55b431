import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { Database } from './schema.js'

export type Db = Kysely<Database>

/**
 * `normal`: WAL with `synchronous=NORMAL` — the WAL is fsynced only at checkpoints, so a
 * committed transaction survives a crash of the process (kill -9) but the last ones may be
 * lost on power loss or an OS crash (the database stays consistent). `full`: the WAL is
 * fsynced at every commit, so each committed transaction also survives those.
 */
export type Durability = 'normal' | 'full'

/** Opens the SQLite file in WAL mode with the given durability (default `normal`). */
export function openDatabase(
  file: string,
  durability: Durability = 'normal',
): { db: Db; sqlite: SQLite.Database } {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const sqlite = new SQLite(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma(durability === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  return { db, sqlite }
}
