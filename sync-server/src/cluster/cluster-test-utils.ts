import { randomUUID } from 'node:crypto'
import type { ServerDeps } from '../server.js'
import { type SyncServer, startSyncServer, tempDir } from '../sync/sync-test-utils.js'

/** The machine's Redis (scripts/ensure-redis.sh starts it for `pnpm test`). */
export const REDIS_URL = 'redis://127.0.0.1:6379'

/** Env of one test's cluster: its own channel and key prefix on the shared Redis. */
export function clusterEnv(prefix = `tf-test-${randomUUID()}`): Record<string, string> {
  return { TASKFLOW_REDIS_URL: REDIS_URL, TASKFLOW_REDIS_PREFIX: prefix }
}

/**
 * `n` nodes (in this process, each with its own database connection, hub and Redis
 * clients) on one SQLite file and one Redis prefix; closed after the test. The first node
 * migrates the database before the others start.
 */
export async function startNodes(
  n: number,
  opts: {
    env?: Record<string, string>
    deps?: (i: number) => ServerDeps
    dir?: string
  } = {},
): Promise<SyncServer[]> {
  const dir = opts.dir ?? tempDir()
  const env = { ...clusterEnv(), ...opts.env }
  const nodes: SyncServer[] = []
  for (let i = 0; i < n; i++) {
    nodes.push(await startSyncServer({ dir, env, deps: opts.deps?.(i) }))
  }
  return nodes
}
