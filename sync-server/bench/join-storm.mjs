// Issue 17 join storm: C clients join one large board (≈4 MB) at the same moment; time from
// each client's connect to `synced` (the sync step 2 that ends the server's answer), p50/p95/
// p99/max, and the server's RSS growth (peak sampled every 20 ms during the storm − before).
// The clients are raw WebSocket peers speaking the y-websocket protocol (step 1 with an empty
// state vector, then they only count bytes): 150 Yjs docs applying 4 MB each would make the
// driver, not the server, the bottleneck on this 2-core box. One extra client with a Y.Doc
// joins after the storm and checks that every task arrived.
//   node bench/join-storm.mjs --url ws://127.0.0.1:PORT[/sync] [--token T] [--room R] \
//     --server-pid PID [--clients 150] [--tasks 8500] [--label L] [--json-out F]
// Runs from any folder; the shared harness must be installed in BENCH_DIR (default
// /tmp/tf-bench): its y-websocket client uploads the board and checks it afterwards.
import { appendFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

const H = process.env.BENCH_DIR ?? '/tmp/tf-bench'
const load = (p) => import(pathToFileURL(`${H}/${p}`).href)
const Y = await load('node_modules/yjs/dist/yjs.mjs')
const { WebSocket } = await load('node_modules/ws/wrapper.mjs')
const { openClient, withTimeout } = await load('lib/clients.mjs')
const common = await load('lib/common.mjs')
const { parseArgs, connectionArgs, procSample, percentiles, round, sleep, waitFor, fillBoard } =
  common

const args = parseArgs()
const { url, kind, token, serverPid, label } = connectionArgs(args)
const CLIENTS = Number(args.clients ?? 150)
const TASKS = Number(args.tasks ?? 8500)
const WAIT_MS = Number(args.wait ?? 120) * 1000
const room = String(args.room || `storm-${Date.now().toString(36)}`)

// 1. The board, uploaded by one client and confirmed by a second one.
const board = new Y.Doc()
fillBoard(board, TASKS)
const update = Y.encodeStateAsUpdate(board)
const peer = openClient({ kind, url, room, token })
const uploader = openClient({ kind, url, room, token })
await withTimeout(Promise.all([peer.synced, uploader.synced]), WAIT_MS, 'upload clients synced')
Y.applyUpdate(uploader.doc, update)
const peerTasks = peer.doc.getMap('tasks')
await waitFor(() => peerTasks.size === TASKS, WAIT_MS, 'peer holds the uploaded board', 20)
peer.close()
uploader.close()
await sleep(3000)

// 2. The storm: every client connects in the same tick.
const before = procSample(serverPid)
let peak = before?.rssKiB ?? 0
const sampler = setInterval(() => {
  const s = procSample(serverPid)
  if (s?.rssKiB && s.rssKiB > peak) peak = s.rssKiB
}, 20)
const base = url.endsWith('/') ? url : `${url}/`
const target = `${base}${room}${token ? `?token=${encodeURIComponent(token)}` : ''}`
// y-websocket messages: [messageSync=0, step1=0, varUint8Array(empty state vector)], and the
// answer to the server's step 1: [0, step2=1, varUint8Array(empty update)].
const STEP1 = new Uint8Array([0, 0, 1, 0])
const EMPTY_STEP2 = new Uint8Array([0, 1, 2, 0, 0])
function stormClient() {
  return new Promise((resolve) => {
    const t0 = performance.now()
    const ws = new WebSocket(target)
    ws.binaryType = 'nodebuffer'
    let bytes = 0
    ws.on('open', () => ws.send(STEP1))
    ws.on('message', (data) => {
      bytes += data.length
      if (data[0] !== 0) return // awareness
      if (data[1] === 0) ws.send(EMPTY_STEP2)
      else if (data[1] === 1) {
        resolve({ ms: performance.now() - t0, bytes })
        ws.close()
      }
    })
    ws.on('error', () => resolve({ ms: null, bytes }))
    ws.on('close', () => resolve({ ms: null, bytes }))
  })
}
const started = performance.now()
const results = await withTimeout(
  Promise.all(Array.from({ length: CLIENTS }, stormClient)),
  WAIT_MS,
  'storm clients synced',
)
const stormMs = performance.now() - started
clearInterval(sampler)
await sleep(1000)
const after = procSample(serverPid)

// 3. A real client checks the content.
const check = openClient({ kind, url, room, token })
await withTimeout(check.synced, WAIT_MS, 'check client synced')
const checkTasks = check.doc.getMap('tasks')
await waitFor(() => checkTasks.size === TASKS, WAIT_MS, 'check client holds the board', 20).catch(
  () => {},
)
const contentOk = checkTasks.size === TASKS
check.close()

const ok = results.filter((r) => r.ms !== null).map((r) => r.ms)
const { p50, p95, p99, max } = percentiles(ok, [50, 95, 99])
const mib = (k) => (k == null ? null : round(k / 1024, 1))
const out = {
  bench: 'join-storm',
  label,
  clients: CLIENTS,
  tasks: TASKS,
  board_bytes: update.length,
  synced: ok.length,
  failed: CLIENTS - ok.length,
  synced_p50_ms: round(p50, 1),
  synced_p95_ms: round(p95, 1),
  synced_p99_ms: round(p99, 1),
  synced_max_ms: round(max, 1),
  storm_ms: round(stormMs, 1),
  bytes_per_client_median: results.map((r) => r.bytes).sort((a, b) => a - b)[CLIENTS >> 1],
  rss_before_mib: mib(before?.rssKiB),
  rss_peak_mib: mib(peak),
  rss_growth_mib: mib(peak - (before?.rssKiB ?? 0)),
  rss_after_mib: mib(after?.rssKiB),
  cpu_s: after && before ? round(after.cpuSec - before.cpuSec, 2) : null,
  content_ok: contentOk,
}
console.log(JSON.stringify(out))
if (args['json-out']) appendFileSync(String(args['json-out']), `${JSON.stringify(out)}\n`)
process.exit(0)
