/**
 * Rebuilds the reporting projection from stored documents and update logs.
 *   pnpm --filter @taskflow/sync-server projection:rebuild            # every project
 *   pnpm --filter @taskflow/sync-server projection:rebuild <projectId>
 * Uses TASKFLOW_DB like the server. See docs/operations.md.
 */
import { systemClock } from '../clock.js'
import { ConfigError, parseConfig } from '../config.js'
import { openStorage } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { createProjectionReads } from './projection.reads.js'
import { rebuildProjection } from './projector.js'

async function main(): Promise<void> {
  const config = parseConfig(process.env)
  const { db, close } = openStorage(config)
  try {
    await migrateToLatest(db)
    const reads = createProjectionReads(db)
    const only = process.argv[2]
    const ids = only
      ? [only]
      : (await db.selectFrom('projects').select('id').orderBy('id').execute()).map((r) => r.id)
    for (const id of ids) {
      if (!(await reads.projectExists(id))) throw new Error(`no project ${id}`)
      const t0 = performance.now()
      await rebuildProjection(db, id, await reads.storedLog(id), systemClock)
      process.stdout.write(`rebuilt ${id} in ${(performance.now() - t0).toFixed(0)} ms\n`)
    }
  } finally {
    await db.destroy()
    await close()
  }
}

main().catch((err) => {
  process.stderr.write(
    `projection:rebuild: ${err instanceof ConfigError ? err.message : String(err)}\n`,
  )
  process.exit(1)
})
