import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { parseConfig } from '../config.js'
import { type RunningServer, startServer } from '../server.js'
import { recordContractViolation } from './contract-violations.js'

/**
 * Starts a real server on port 0 with a fresh database in a temp folder; it is closed and
 * its folder removed after the current test.
 */
export async function startTestServer(
  env: Record<string, string> = {},
): Promise<RunningServer & { dbFile: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'taskflow-test-'))
  const dbFile = join(dir, 'taskflow.db')
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    TASKFLOW_DB: dbFile,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ...env,
  })
  const server = await startServer(config, undefined, { checkResponses: recordContractViolation })
  afterEach(async () => {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return { ...server, dbFile }
}
