import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { type Db, openPostgres } from '../db/database.js'

/**
 * The local test cluster (DEVELOPERS.md; `scripts/ensure-postgres.sh` starts it before the
 * suite). Tests read this directly: it is a test fixture, not a server setting.
 */
export const TEST_DATABASE_URL =
  process.env.TASKFLOW_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** One test's own Postgres schema: parallel suites never see each other's tables. */
export interface TestSchema {
  schema: string
  /** TASKFLOW_DATABASE_URL that puts a server in this schema. */
  url: string
  /** A Kysely on the schema (opened on first use, closed by drop). */
  db: () => Db
  /** Drops the schema and everything in it. */
  drop: () => Promise<void>
}

/** Creates an empty schema `t_<random>`; call `drop()` after the test. */
export async function createTestSchema(): Promise<TestSchema> {
  const schema = `t_${randomBytes(6).toString('hex')}`
  await admin(`CREATE SCHEMA ${schema}`)
  const u = new URL(TEST_DATABASE_URL)
  u.searchParams.set('options', `-c search_path=${schema}`)
  let opened: Db | undefined
  return {
    schema,
    url: u.toString(),
    db: () => {
      opened ??= openPostgres({ url: TEST_DATABASE_URL, schema, max: 4 }).db
      return opened
    },
    drop: async () => {
      await opened?.destroy()
      opened = undefined
      await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    },
  }
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}
