/**
 * Copies a SQLite database into an empty Postgres one and verifies the copy (issue 17).
 *   TASKFLOW_DB=./data/taskflow.db TASKFLOW_DATABASE_URL=postgres://… \
 *     pnpm --filter @taskflow/sync-server migrate-to-postgres
 * Reads TASKFLOW_DB (the source) and TASKFLOW_DATABASE_URL (the target) like the server.
 * Stop the server first: updates written during the copy would be missed. See
 * docs/operations.md, "Moving from SQLite to PostgreSQL".
 */
import { existsSync } from 'node:fs'
import { ConfigError, parseConfig } from '../config.js'
import { CopyError, copySqliteToPostgres } from './copy-to-postgres.js'
import { openDatabase, openPostgres } from './database.js'

async function main(): Promise<void> {
  const config = parseConfig(process.env)
  if (!config.TASKFLOW_DATABASE_URL) {
    throw new CopyError('set TASKFLOW_DATABASE_URL to the (empty) Postgres database to copy into')
  }
  if (config.TASKFLOW_DB === ':memory:' || !existsSync(config.TASKFLOW_DB)) {
    throw new CopyError(`no SQLite database at TASKFLOW_DB=${config.TASKFLOW_DB}`)
  }
  const source = openDatabase(config.TASKFLOW_DB).db
  const target = openPostgres({ url: config.TASKFLOW_DATABASE_URL }).db
  try {
    const t0 = performance.now()
    const report = await copySqliteToPostgres(source, target, (line) =>
      process.stdout.write(`${line}\n`),
    )
    const rows = report.tables.reduce((n, t) => n + t.rows, 0)
    process.stdout.write(
      `done: ${report.tables.length} tables, ${rows} rows, ${report.documents} documents identical, in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
    )
    if (report.skipped.length > 0) {
      process.stdout.write(
        `not copied (SQLite-only search index, rebuilt from the boards when search moves to Postgres): ${report.skipped.join(', ')}\n`,
      )
    }
  } finally {
    await source.destroy()
    await target.destroy()
  }
}

main().catch((err) => {
  const known = err instanceof ConfigError || err instanceof CopyError
  process.stderr.write(`migrate-to-postgres: ${known ? err.message : String(err)}\n`)
  process.exit(1)
})
