// Paired A/B of what TASKFLOW_METRICS=1 costs on the relay path, built to survive a noisy,
// shared 2-core box (the interleaved A/B in ab-metrics.sh could not resolve 2 % there: one
// run's CPU moved ±40 % with the neighbours' load).
//
// Why paired: both servers (metrics off and on) run AT THE SAME TIME and receive the SAME
// edits — every writer edit is applied to the off-server's writer doc and the on-server's
// writer doc in the same tick — so any load from neighbours lands on both in the same window.
// Each round measures the server CPU (utime+stime from /proc) each process spent from the
// first edit until every client of that server holds every edit (a fixed amount of work,
// not a fixed time), and reports on/off. The two servers swap ports and start order
// every round. The metrics server is scraped every SCRAPE_MS like a busy Prometheus.
//
//   cd sync-server && node build.mjs
//   ROUNDS=7 CLIENTS=50 WRITERS=10 RATE=40 SECONDS=15 node bench/metrics-paired.mjs
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const env = (k, d) => Number(process.env[k] ?? d)
const ROUNDS = env('ROUNDS', 7)
const CLIENTS = env('CLIENTS', 50)
const WRITERS = env('WRITERS', 10)
const RATE = env('RATE', 40) // edits per second, all writers together
const SECONDS = env('SECONDS', 15)
const SCRAPE_MS = env('SCRAPE_MS', 5000)
const BASE_PORT = env('PORT', 12380)
// A/A check of the method itself: B_METRICS=0 runs both sides without metrics.
const B_METRICS = env('B_METRICS', 1)
// Extra environment for side B only, for experiments (JSON object).
const B_ENV = JSON.parse(process.env.B_ENV ?? '{}')
// Extra node arguments for side B only (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
const B_NODE_ARGS = (process.env.B_NODE_ARGS ?? '').split(' ').filter(Boolean)
const TICKS = 100 // USER_HZ: /proc/<pid>/stat counts CPU in 1/100 s on Linux (getconf CLK_TCK)

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

function cpuSeconds(pid) {
  // Fields after the ')' of the comm: utime is field 14, stime 15 (1-based, whole line).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(rest[11]) + Number(rest[12])) / TICKS
}

async function startServer(side, port) {
  const metrics = side === 1 ? B_METRICS : 0
  const dir = mkdtempSync(join(tmpdir(), `mx-paired-${metrics}-`))
  const child = spawn(
    process.execPath,
    [...(side === 1 ? B_NODE_ARGS : []), join(ROOT, 'dist/main.js')],
    {
      env: {
        ...process.env,
        TASKFLOW_METRICS: String(metrics),
        TASKFLOW_INSECURE_OPEN: '1',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        TASKFLOW_DB: join(dir, 't.db'),
        ...(side === 1 ? B_ENV : {}),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
  const deadline = performance.now() + 20_000
  while (performance.now() < deadline) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`)
      if (r.ok) return { child, dir, port, metrics }
    } catch {}
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`server metrics=${metrics} did not start on ${port}`)
}

async function stopServer(s) {
  const exited = new Promise((r) => s.child.once('exit', r))
  s.child.kill('SIGTERM')
  await exited
  rmSync(s.dir, { recursive: true, force: true })
}

function openClients(port, room) {
  const clients = []
  for (let i = 0; i < CLIENTS; i++) {
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/sync`, room, doc, {
      WebSocketPolyfill: WebSocket,
      disableBc: true, // else providers in this process would bypass the server
    })
    const synced = new Promise((r) => {
      const on = (s) => {
        if (s) {
          provider.off('sync', on)
          r()
        }
      }
      provider.on('sync', on)
    })
    clients.push({ doc, provider, synced })
  }
  return clients
}

/** Resolves when every client's `edits` array holds `n` items. */
function allHold(clients, n) {
  return new Promise((resolve) => {
    const check = () => clients.every((c) => c.doc.getArray('edits').length >= n)
    if (check()) return resolve()
    const onUpdate = () => {
      if (check()) {
        for (const c of clients) c.doc.off('update', onUpdate)
        resolve()
      }
    }
    for (const c of clients) c.doc.on('update', onUpdate)
  })
}

async function round(r) {
  const swap = r % 2 === 1
  const ports = swap ? [BASE_PORT + 1, BASE_PORT] : [BASE_PORT, BASE_PORT + 1]
  const order = swap ? [1, 0] : [0, 1]
  const servers = []
  for (const m of order) servers[m] = await startServer(m, ports[m])
  const room = `paired-${r}`
  const groups = servers.map((s) => openClients(s.port, room))
  await Promise.all(groups.flat().map((c) => c.synced))

  const scraper = setInterval(() => {
    fetch(`http://127.0.0.1:${servers[1].port}/metrics`)
      .then((res) => res.text())
      .catch(() => {})
  }, SCRAPE_MS)

  const total = RATE * SECONDS
  const cpu0 = servers.map((s) => cpuSeconds(s.child.pid))
  const t0 = performance.now()
  // Same edit, same tick, both servers: writer w of each group appends a small task-like map.
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / RATE
    const wait = due - performance.now()
    if (wait > 0) await new Promise((res) => setTimeout(res, wait))
    const w = i % WRITERS
    for (const g of groups) {
      const doc = g[w].doc
      doc.transact(() => {
        const m = new Y.Map()
        m.set('title', `Task ${i}`)
        m.set('column', `c${i % 4}`)
        m.set('by', w)
        doc.getArray('edits').push([m])
      })
    }
  }
  const done = await Promise.all(
    groups.map((g, m) =>
      allHold(g, total).then(() => ({
        cpu: cpuSeconds(servers[m].child.pid) - cpu0[m],
        ms: performance.now() - t0,
      })),
    ),
  )
  clearInterval(scraper)
  for (const c of groups.flat()) c.provider.destroy()
  for (const s of servers) await stopServer(s)
  const row = {
    round: r,
    offCpu: done[0].cpu,
    onCpu: done[1].cpu,
    ratio: done[1].cpu / done[0].cpu,
    offMs: Math.round(done[0].ms),
    onMs: Math.round(done[1].ms),
    deliveries: total * (CLIENTS - 1),
  }
  console.log(JSON.stringify(row))
  return row
}

const rows = []
for (let r = 0; r < ROUNDS; r++) rows.push(await round(r))
const pct = (x) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`
console.log(
  `\n${ROUNDS} rounds, ${CLIENTS} clients/server, ${WRITERS} writers, ${RATE} edits/s × ${SECONDS} s, ` +
    `${rows[0].deliveries} deliveries/server/round, scrape every ${SCRAPE_MS} ms`,
)
console.log(`server CPU off: median ${median(rows.map((x) => x.offCpu)).toFixed(2)} s`)
console.log(`server CPU on:  median ${median(rows.map((x) => x.onCpu)).toFixed(2)} s`)
console.log(
  `on vs off per round: ${rows.map((x) => pct(x.ratio - 1)).join(', ')}; median ${pct(median(rows.map((x) => x.ratio)) - 1)}`,
)
process.exit(0)
