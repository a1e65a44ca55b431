import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Db, type Dialect, openDatabase } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { createTestSchema } from './postgres.js'

/**
 * The two storage backends every storage and sync contract suite runs against (issue 17:
 * one contract suite, two backends). Postgres gives each database its own schema, so
 * parallel test files never collide.
 */
export const BACKENDS: readonly Dialect[] = ['sqlite', 'postgres']

/** A migrated, empty database of `dialect`, and how to throw it away. */
export interface TestDatabase {
  dialect: Dialect
  db: Db
  /** Settings that point a server at this database (TASKFLOW_DB or TASKFLOW_DATABASE_URL). */
  env: Record<string, string>
  /** Closes it and deletes the file or schema. */
  drop: () => Promise<void>
}

export async function createTestDatabase(
  dialect: Dialect,
  opts: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  if (dialect === 'postgres') {
    const s = await createTestSchema()
    const db = s.db()
    if (opts.migrate !== false) await migrateToLatest(db)
    return { dialect, db, env: { TASKFLOW_DATABASE_URL: s.url }, drop: s.drop }
  }
  const dir = mkdtempSync(join(tmpdir(), 'tf-testdb-'))
  const file = join(dir, 'taskflow.db')
  const { db } = openDatabase(file)
  if (opts.migrate !== false) await migrateToLatest(db)
  return {
    dialect,
    db,
    env: { TASKFLOW_DB: file },
    drop: async () => {
      await db.destroy()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
