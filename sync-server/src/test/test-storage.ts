import { afterAll, onTestFinished } from 'vitest'
import { openDatabase, type Storage } from '../db/database.js'
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
 * An empty, unmigrated database on this run's backend (TASKFLOW_TEST_BACKEND, set by the
 * vitest project `postgres`): SQLite in memory, or a Postgres schema of its own, dropped
 * when the test that made it ends (or after the file, when made in a `beforeAll`).
 */
export async function openTestStorage(): Promise<Storage> {
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
  const { db, sqlite } = openDatabase(':memory:')
  return { dialect: 'sqlite', db, sqlite, close: () => db.destroy() }
}
