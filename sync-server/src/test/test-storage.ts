import { afterAll, onTestFinished } from 'vitest'
import { openDatabase, type Storage } from '../db/database.js'
import { TEST_BACKEND } from '../sync/sync-test-utils.js'
import { createTestSchema } from './postgres.js'

const dropAfterFile: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const drop of dropAfterFile.splice(0)) await drop()
})

/**
 * An empty, unmigrated database on this run's backend (TASKFLOW_TEST_BACKEND, set by the
 * vitest project `postgres`): SQLite in memory, or a Postgres schema of its own, dropped
 * when the test that made it ends (or after the file, when made in a `beforeAll`).
 */
export async function openTestStorage(): Promise<Storage> {
  if (TEST_BACKEND === 'postgres') {
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
