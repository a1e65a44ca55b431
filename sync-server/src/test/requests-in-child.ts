import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export interface ChildAnswer {
  path: string
  status: number
  body: any
}

const SERVER_DIR = fileURLToPath(new URL('../..', import.meta.url))
const CHILD = fileURLToPath(new URL('./requests-child.ts', import.meta.url))

/**
 * GETs `paths` (`:project` stands for the world's project id) as the world's viewer, in a
 * child process, and kills it when the answers take longer than `budgetMs` after its world
 * is built. For regression tests of requests that once never answered: a synchronous loop
 * blocks the process that runs it, so only another process can give up on it. The child's
 * heap is capped so a runaway allocation ends it quickly too.
 */
export async function requestsInChild(
  paths: readonly string[],
  { budgetMs }: { budgetMs: number },
): Promise<{ answers: ChildAnswer[] } | { failure: string }> {
  const child = fork(CHILD, [], {
    cwd: SERVER_DIR,
    execArgv: ['--import', 'tsx', '--max-old-space-size=192'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000)
  })
  let timer: NodeJS.Timeout | undefined
  try {
    return await new Promise((resolve) => {
      child.on('message', (msg: { ready?: true; answers?: ChildAnswer[] }) => {
        if (msg.ready) {
          timer = setTimeout(
            () => resolve({ failure: `no answer within ${budgetMs} ms` }),
            budgetMs,
          )
          child.send({ paths })
        } else if (msg.answers) {
          resolve({ answers: msg.answers })
        }
      })
      child.on('exit', (code, signal) =>
        resolve({ failure: `child exited (${signal ?? code}) before answering: ${stderr}` }),
      )
    })
  } finally {
    clearTimeout(timer)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  }
}
