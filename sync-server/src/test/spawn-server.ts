import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach } from 'vitest'

const SERVER_ROOT = fileURLToPath(new URL('../..', import.meta.url))

const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL')
})

export interface SpawnedServer {
  child: ChildProcess
  url: string
  syncUrl: string
  dbFile: string
}

/**
 * Runs src/main.ts in its own process (so it can be killed with SIGKILL, or hold the
 * database like production) on `dbFile`, and waits for its port. Insecure-open unless `env`
 * says otherwise; killed after the test if still running.
 */
export async function spawnServer(
  dbFile: string,
  env: Record<string, string> = {},
): Promise<SpawnedServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: SERVER_ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      // A SQLite file, or a Postgres schema's URL on that backend (sync-test-utils databaseIn).
      ...(/^postgres(ql)?:\/\//.test(dbFile)
        ? { TASKFLOW_DATABASE_URL: dbFile }
        : { TASKFLOW_DB: dbFile }),
      TASKFLOW_INSECURE_OPEN: '1',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  children.push(child)
  const port = await new Promise<number>((resolve, reject) => {
    let buf = ''
    child.stderr!.on('data', (chunk: Buffer) => {
      buf += chunk.toString()
      const m = /"msg":"listening","port":(\d+)/.exec(buf)
      if (m) resolve(Number(m[1]))
    })
    child.once('exit', (code) => reject(new Error(`server exited early (${code}): ${buf}`)))
  })
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    syncUrl: `ws://127.0.0.1:${port}/sync`,
    dbFile,
  }
}
