// The step-1 flood of issue 12 (item 2) against a built server: a board of a few MB, then
// SOCKETS sockets that never read, each sending MESSAGES sync step 1s — alternately an empty
// state vector and a stale one that claims one clock of the board's author, i.e. "send me
// everything". Measures the server's RSS (peak while the flood is handled, and later with
// the flooding sockets still open) and how long a normal client's edit takes to reach
// another client (writer → reader), before and right after the flood is sent.
//
//   node build.mjs && node bench/step1-flood.mjs [--tasks 9000] [--sockets 30] [--messages 15]
//     [--server dist/main.js] [--port 12342]
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '9000' },
    sockets: { type: 'string', default: '30' },
    messages: { type: 'string', default: '15' },
    server: { type: 'string', default: 'dist/main.js' },
    port: { type: 'string', default: '12342' },
  },
})
const serverRoot = fileURLToPath(new URL('..', import.meta.url))
const PORT = values.port
const URL_ = `ws://127.0.0.1:${PORT}/sync`
const ROOM = 'flood'
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
/** NaN once the process is gone. */
const rssMiB = (pid) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function waitFor(cond, ms, label) {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timeout: ${label}`)
    await sleep(5)
  }
}

/** Same shape as rss-after-grace.mjs and the harness: 8 fields and a 200-char Y.Text a task. */
function buildBoard(doc, n) {
  const tasks = doc.getMap('tasks')
  doc.transact(() => {
    for (let i = 0; i < n; i++) {
      const t = new Y.Map()
      tasks.set(`task-${i}`, t)
      t.set('id', `task-${i}`)
      t.set('title', `Task ${i} ${(i * 7919).toString(36)}`)
      const d = new Y.Text()
      t.set('description', d)
      d.insert(0, `${i} `.padEnd(200, 'abcdefghij '))
      t.set('status', ['todo', 'doing', 'done'][i % 3])
      t.set('assignee', `user-${i % 17}`)
      t.set('priority', i % 4)
      t.set('due', `2027-01-${String((i % 28) + 1).padStart(2, '0')}`)
      t.set('order', `a${i.toString(36)}`)
    }
  })
}

const provider = (doc = new Y.Doc()) =>
  new WebsocketProvider(URL_, ROOM, doc, { WebSocketPolyfill: WebSocket, disableBc: true })

function step1(stateVector) {
  const enc = encoding.createEncoder()
  encoding.writeVarUint(enc, 0)
  encoding.writeVarUint(enc, 0)
  encoding.writeVarUint8Array(enc, stateVector)
  return encoding.toUint8Array(enc)
}

/** ms until an edit of the writer is in the reader's doc. */
async function relayMs(writer, reader, key) {
  const t0 = performance.now()
  writer.doc.getMap('probe').set(key, key)
  await waitFor(() => reader.doc.getMap('probe').get(key) === key, 600_000, 'relay')
  return performance.now() - t0
}

const dir = mkdtempSync(join(tmpdir(), 'tf-flood-'))
const child = spawn(process.execPath, [resolve(serverRoot, values.server)], {
  env: {
    ...process.env,
    MALLOC_MMAP_THRESHOLD_: '131072',
    MALLOC_TRIM_THRESHOLD_: '131072',
    PORT,
    HOST: '127.0.0.1',
    TASKFLOW_DB: join(dir, 'taskflow.db'),
    TASKFLOW_INSECURE_OPEN: '1',
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
})
let exited = null
child.once('exit', (code, signal) => {
  exited = { code, signal }
  console.error(`server exited: code ${code}, signal ${signal}`)
})
const attackers = []
try {
  await sleep(2000)
  const idle = rssMiB(child.pid)
  const writer = provider()
  buildBoard(writer.doc, Number(values.tasks))
  const boardBytes = Y.encodeStateAsUpdate(writer.doc).length
  const reader = provider()
  await waitFor(() => reader.doc.getMap('tasks').size === Number(values.tasks), 120_000, 'board')
  const before = []
  for (let i = 0; i < 5; i++) before.push(await relayMs(writer, reader, `before-${i}`))
  const loaded = rssMiB(child.pid)

  const enc = encoding.createEncoder()
  encoding.writeVarUint(enc, 1)
  encoding.writeVarUint(enc, writer.doc.clientID)
  encoding.writeVarUint(enc, 1)
  const frames = [step1(new Uint8Array([0])), step1(encoding.toUint8Array(enc))]
  for (let s = 0; s < Number(values.sockets); s++) {
    const ws = new WebSocket(`${URL_}/${ROOM}`)
    await new Promise((r, j) => ws.once('open', r).once('error', j))
    ws._socket.pause()
    attackers.push(ws)
  }
  let peak = rssMiB(child.pid)
  const sampler = setInterval(() => {
    const rss = rssMiB(child.pid)
    if (rss > peak) peak = rss
  }, 20)
  const t0 = performance.now()
  for (const ws of attackers)
    for (let m = 0; m < Number(values.messages); m++) ws.send(frames[m % 2])
  const during = []
  for (let i = 0; i < 5; i++) during.push(await relayMs(writer, reader, `during-${i}`))
  const firstDuring = during[0]
  const afterMs = performance.now() - t0
  await sleep(3000)
  clearInterval(sampler)
  const stillOpen = rssMiB(child.pid)
  const r1 = (x) => Math.round(x * 10) / 10
  const result = {
    server: values.server,
    board_mb: r1(boardBytes / 1e6),
    sockets: attackers.length,
    messages: Number(values.messages),
    rss_mib: { idle: r1(idle), loaded: r1(loaded), peak: r1(peak), still_open: r1(stillOpen) },
    relay_ms_before_median: r1(median(before)),
    relay_ms_first_after_flood: r1(firstDuring),
    relay_ms_after_flood_median: r1(median(during)),
    five_edits_done_after_ms: r1(afterMs),
    attackers_open: attackers.filter((w) => w.readyState === WebSocket.OPEN).length,
  }
  console.log(JSON.stringify(result))
  writer.destroy()
  reader.destroy()
} finally {
  for (const ws of attackers) ws.terminate()
  if (!exited) {
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
  }
  rmSync(dir, { recursive: true, force: true })
}
process.exit(0)
