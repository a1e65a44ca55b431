import { afterAll, onTestFinished } from 'vitest'
import { openDatabase, type Storage } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { createTestSchema } from './postgres.js'

const dropAfterFile: (() => Promise<void>)[] = []
// Registered when a test file imports this; a child process that imports it outside vitest
// (requests-in-child.ts) has no suite to register with, and makes no Postgres schema.
try {
  afterAll(async () => {
    for (const drop of dropAfterFile.splice(0)) await drop()
  })
} catch {}

/**
 * An empty database on this run's backend (TASKFLOW_TEST_BACKEND, set by the vitest project
 * `postgres`): SQLite in memory, or a Postgres schema of its own, dropped when the test that
 * made it ends (or after the file, when made in a `beforeAll`). Unmigrated, unless
 * `migrated` on SQLite (a copy of one migrated database); a Postgres schema is always
 * returned empty, for the caller to migrate.
 */
export async function openTestStorage(opts: { migrated?: boolean } = {}): Promise<Storage> {
  // As sync-test-utils' TEST_BACKEND (not imported: it registers hooks of its own).
  if (process.env.TASKFLOW_TEST_BACKEND === 'postgres') {
    const schema = await createTestSchema()
    try {
      onTestFinished(() => schema.drop())
    } catch {
      dropAfterFile.push(() => schema.drop())
    }
    return { dialect: 'postgres', db: schema.db(), sqlite: null, close: () => schema.drop() }
  }
  const { db, sqlite } = openDatabase(opts.migrated ? await migratedSqlite() : ':memory:')
  return { dialect: 'sqlite', db, sqlite, close: () => db.destroy() }
}

let migratedTemplate: Promise<Buffer> | undefined

/**
 * An empty SQLite database migrated by the real migrator once per test worker, serialized.
 * Copying it costs ~4 ms where migrating a new database costs ~45 ms, and the authorization
 * matrix alone makes ~2,800 databases (CI time). Whoever opens the copy still runs
 * `migrateToLatest`, which finds nothing left to do, as on a restarted server.
 */
function migratedSqlite(): Promise<Buffer> {
  migratedTemplate ??= (async () => {
    const { db, sqlite } = openDatabase(':memory:')
    await migrateToLatest(db)
    const image = sqlite.serialize()
    await db.destroy()
    return image
  })()
  return migratedTemplate
}
