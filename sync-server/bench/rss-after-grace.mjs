// RSS of the server after every client left and the room grace period passed, against the
// idle server — the one memory target the shared harness does not measure. Loads the same
// shape of board as the harness's load.mjs (10,000 tasks, 8 fields, 200-char Y.Text).
// Each rep measures the server twice: started bare (`node dist/main.js`) and with the
// environment its `start` script sets (glibc malloc thresholds, see docs/operations.md).
//
//   node bench/rss-after-grace.mjs [--tasks 10000] [--grace-ms 30000] [--reps 3]
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '10000' },
    'grace-ms': { type: 'string', default: '30000' },
    reps: { type: 'string', default: '3' },
  },
})
const TASKS = Number(values.tasks)
const GRACE_MS = Number(values['grace-ms'])
const serverRoot = fileURLToPath(new URL('..', import.meta.url))
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024
}

function buildBoard(n) {
  let seed = 7
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed / 0x7fffffff
  }
  const doc = new Y.Doc()
  const tasks = doc.getMap('tasks')
  doc.transact(() => {
    for (let i = 0; i < n; i++) {
      const t = new Y.Map()
      tasks.set(`task-${i}`, t)
      t.set('id', `task-${i}`)
      t.set('title', `Task ${i} ${rnd().toString(36).slice(2, 10)}`)
      const d = new Y.Text()
      t.set('description', d)
      d.insert(0, Array.from({ length: 200 }, () => 'abcdefghij '[Math.floor(rnd() * 11)]).join(''))
      t.set('status', ['todo', 'doing', 'done'][i % 3])
      t.set('assignee', `user-${i % 17}`)
      t.set('priority', i % 4)
      t.set('due', `2027-01-${String((i % 28) + 1).padStart(2, '0')}`)
      t.set('order', `a${i.toString(36)}`)
    }
  })
  return Y.encodeStateAsUpdate(doc)
}

function client(url, room, doc = new Y.Doc()) {
  return new WebsocketProvider(url, room, doc, { WebSocketPolyfill: WebSocket, disableBc: true })
}

async function waitFor(cond, ms, label) {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timeout: ${label}`)
    await sleep(10)
  }
}

const pkg = JSON.parse(readFileSync(join(serverRoot, 'package.json'), 'utf8'))
/** VAR=value pairs the package's start script puts before `node`. */
const START_ENV = Object.fromEntries(
  [...pkg.scripts.start.matchAll(/(\w+)=(\S+)\s/g)].map((m) => [m[1], m[2]]),
)

async function once(board, extraEnv) {
  const dir = mkdtempSync(join(tmpdir(), 'tf-rss-'))
  const child = spawn(process.execPath, [join(serverRoot, 'dist/main.js')], {
    env: {
      ...process.env,
      ...extraEnv,
      PORT: '12341',
      HOST: '127.0.0.1',
      TASKFLOW_DB: join(dir, 'taskflow.db'),
      TASKFLOW_INSECURE_OPEN: '1',
      TASKFLOW_ROOM_GRACE_MS: String(GRACE_MS),
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  })
  try {
    const url = 'ws://127.0.0.1:12341/sync'
    await sleep(2000)
    const idle = rssMiB(child.pid)
    const room = `rss-${Date.now()}`
    const up = client(url, room)
    const peer = client(url, room)
    await waitFor(() => up.synced && peer.synced, 30_000, 'synced')
    Y.applyUpdate(up.doc, board)
    await waitFor(() => peer.doc.getMap('tasks').size >= TASKS, 60_000, 'peer has board')
    const loaded = rssMiB(child.pid)
    up.destroy()
    peer.destroy()
    await sleep(2000)
    const left = rssMiB(child.pid)
    await sleep(GRACE_MS + 5000)
    const afterGrace = rssMiB(child.pid)
    return { idle, loaded, left, afterGrace, delta: afterGrace - idle }
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
    rmSync(dir, { recursive: true, force: true })
  }
}

const board = buildBoard(TASKS)
const r1 = (x) => Math.round(x * 10) / 10
for (const [label, env] of [
  ['bare `node dist/main.js`', {}],
  [`as \`pnpm start\` runs it (${Object.keys(START_ENV).join(', ')})`, START_ENV],
]) {
  const rows = []
  for (let i = 0; i < Number(values.reps); i++) rows.push(await once(board, env))
  console.log(`\nRSS after grace, ${label} — ${TASKS} tasks, grace ${GRACE_MS} ms, MiB:`)
  console.log(
    '| run | idle | board loaded (2 clients) | 2 s after leave | grace + 5 s | Δ vs idle |',
  )
  console.log('|---:|---:|---:|---:|---:|---:|')
  for (const [i, r] of rows.entries()) {
    console.log(
      `| ${i + 1} | ${r1(r.idle)} | ${r1(r.loaded)} | ${r1(r.left)} | ${r1(r.afterGrace)} | ${r1(r.delta)} |`,
    )
  }
  const sorted = rows.map((r) => r.delta).sort((a, b) => a - b)
  console.log(`median Δ: ${r1(sorted[Math.floor(sorted.length / 2)])} MiB (target ≤ 20)`)
}
process.exit(0)
