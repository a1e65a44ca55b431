// The task API under load (issue 16): on a 10,000-task board with 50 WebsocketProviders
// connected, the latency of `POST /tasks`, how long the created task takes to reach every
// connected client (from the moment the request is sent), and `GET /tasks?limit=200`.
// Each run starts the built server (dist/main.js) fresh in its own process, fills the board
// through a real client (board operations in a local replica, sent as one update, like a
// client coming back online), then measures sequential requests. Prints each run and the
// median over runs.
//
//   pnpm --filter @taskflow/sync-server build
//   pnpm --filter @taskflow/sync-server exec tsx bench/task-api.mjs [--runs 3] [--tasks 10000]
//     [--clients 50] [--posts 200] [--gets 100]
import { fork, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createTask, getBoardView } from '@taskflow/board'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    tasks: { type: 'string', default: '10000' },
    clients: { type: 'string', default: '50' },
    posts: { type: 'string', default: '200' },
    gets: { type: 'string', default: '100' },
    port: { type: 'string', default: '12351' },
    workers: { type: 'string', default: '5' },
    // Internal: this file runs as a client worker (see clientWorker).
    worker: { type: 'string' },
    room: { type: 'string' },
    token: { type: 'string' },
    count: { type: 'string' },
  },
})
const TASKS = Number(values.tasks)
const CLIENTS = Number(values.clients)
const POSTS = Number(values.posts)
const GETS = Number(values.gets)
const PORT = Number(values.port)
const WORKERS = Number(values.workers)
const WARMUP = 20
/** A time comparable across processes (ms). */
const clock = () => performance.timeOrigin + performance.now()
const serverRoot = fileURLToPath(new URL('..', import.meta.url))
const base = `http://127.0.0.1:${PORT}/api/v1`

async function api(method, path, token, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : null
}

function waitFor(cond, ms, label) {
  return new Promise((resolve, reject) => {
    const end = Date.now() + ms
    const tick = () => {
      if (cond()) return resolve()
      if (Date.now() > end) return reject(new Error(`timeout: ${label}`))
      setTimeout(tick, 5)
    }
    tick()
  })
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]
}
const median = (xs) => pct(xs, 50)
const r1 = (x) => Math.round(x * 10) / 10

async function startServer(dir) {
  const child = spawn(process.execPath, [join(serverRoot, 'dist/main.js')], {
    env: {
      ...process.env,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      TASKFLOW_DB: join(dir, 'taskflow.db'),
      LOG_LEVEL: 'warn',
      MALLOC_MMAP_THRESHOLD_: '131072',
      MALLOC_TRIM_THRESHOLD_: '131072',
      // One bench user holds every socket.
      TASKFLOW_MAX_SOCKETS_PER_USER: String(CLIENTS + 10),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const end = Date.now() + 30_000
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${PORT}/healthz`)
      if (r.ok) break
    } catch {}
    if (Date.now() > end) throw new Error('server did not start')
    await new Promise((r) => setTimeout(r, 50))
  }
  return child
}

function provider(room, token) {
  return new WebsocketProvider(`ws://127.0.0.1:${PORT}/sync`, room, new Y.Doc(), {
    WebSocketPolyfill: WebSocket,
    disableBc: true,
    params: { token },
  })
}

async function fillBoard(room, token, n) {
  const seed = provider(room, token)
  await waitFor(() => seed.synced && getBoardView(seed.doc).columns.length > 0, 30_000, 'seed')
  const local = new Y.Doc()
  Y.applyUpdate(local, Y.encodeStateAsUpdate(seed.doc))
  const columns = getBoardView(local).columns.map((c) => c.id)
  let s = 7
  const rnd = () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff
    return s / 0x7fffffff
  }
  let last = ''
  for (let i = 0; i < n; i++) {
    const r = createTask(local, {
      columnId: columns[i % columns.length],
      title: `Task ${i} ${rnd().toString(36).slice(2, 10)}`,
      description: Array.from({ length: 200 }, () => 'abcdefghij '[Math.floor(rnd() * 11)]).join(
        '',
      ),
      priority: ['none', 'low', 'medium', 'high'][i % 4],
      dueDate: `2027-01-${String((i % 28) + 1).padStart(2, '0')}`,
    })
    if (!r.ok) throw new Error(r.error.message)
    last = r.value.id
  }
  // One update, as a client coming back online sends it.
  Y.applyUpdate(seed.doc, Y.encodeStateAsUpdate(local, Y.encodeStateVector(seed.doc)))
  return { seed, last }
}

async function once(run) {
  const dir = mkdtempSync(join(tmpdir(), 'tf-task-api-'))
  const child = await startServer(dir)
  const providers = []
  try {
    const id = Math.random().toString(36).slice(2, 10)
    const { token } = await api('POST', '/auth/register', undefined, {
      email: `bench-${id}@example.org`,
      password: 'benchmark password',
      name: 'Bench',
    })
    const project = await api('POST', '/projects', token, { name: `bench ${id}` })
    const room = project.id
    const { seed, last } = await fillBoard(room, token, TASKS)
    providers.push(seed)
    // The API reads committed state: once it shows the last task, the board is stored.
    const stored = Date.now() + 300_000
    for (;;) {
      try {
        const res = await fetch(`${base}/projects/${room}/tasks/${last}`, {
          headers: { authorization: `Bearer ${token}` },
        })
        await res.text()
        if (res.ok) break
      } catch (err) {
        // A kept-alive socket the busy server closed: ask again.
        if (child.exitCode !== null) throw err
      }
      if (Date.now() > stored) throw new Error('the board was never stored')
      await new Promise((r) => setTimeout(r, 100))
    }

    // The connected clients live in worker processes (a 10,000-task replica each is too much
    // for one heap); each reports when every client of it has a task.
    const workers = []
    const arrivals = new Map()
    const per = Math.ceil(CLIENTS / WORKERS)
    for (let i = 0; i < WORKERS; i++) {
      const count = Math.min(per, CLIENTS - i * per)
      if (count <= 0) break
      const w = fork(fileURLToPath(import.meta.url), [
        '--worker',
        String(i),
        '--room',
        room,
        '--token',
        token,
        '--count',
        String(count),
        '--port',
        String(PORT),
        '--tasks',
        String(TASKS),
      ])
      w.ready = new Promise((resolve) => w.once('message', resolve))
      w.on('message', (m) => {
        if (m.arrived) {
          const a = arrivals.get(m.arrived) ?? []
          a.push(...m.times)
          arrivals.set(m.arrived, a)
        }
      })
      workers.push(w)
    }
    await Promise.all(workers.map((w) => w.ready))
    const delivered = (id) => (arrivals.get(id)?.length ?? 0) >= CLIENTS

    let missed = 0
    const postMs = []
    const deliveryMs = []
    for (let i = 0; i < WARMUP + POSTS; i++) {
      const started = clock()
      const task = await api('POST', `/projects/${room}/tasks`, token, {
        title: `API task ${i}`,
        description: 'Made by the benchmark',
        priority: 'medium',
      })
      const answered = clock()
      try {
        await waitFor(() => delivered(task.id), 30_000, 'delivery')
      } catch {
        // Reported, not fatal: on an overloaded box a client may reconnect mid-run.
        missed++
      }
      if (i < WARMUP) continue
      postMs.push(answered - started)
      for (const t of arrivals.get(task.id) ?? []) deliveryMs.push(t - started)
    }

    const getMs = []
    for (let i = 0; i < WARMUP + GETS; i++) {
      const started = performance.now()
      const page = await api('GET', `/projects/${room}/tasks?limit=200`, token)
      if (page.tasks.length !== 200) throw new Error('short page')
      if (i >= WARMUP) getMs.push(performance.now() - started)
    }
    const r = {
      postP50: pct(postMs, 50),
      postP95: pct(postMs, 95),
      deliveryP50: pct(deliveryMs, 50),
      deliveryP95: pct(deliveryMs, 95),
      getP50: pct(getMs, 50),
      getP95: pct(getMs, 95),
      missed,
    }
    console.log(
      `run ${run}: POST p50 ${r1(r.postP50)} p95 ${r1(r.postP95)} ms · delivery to ${CLIENTS} clients p50 ${r1(r.deliveryP50)} p95 ${r1(r.deliveryP95)} ms · GET ?limit=200 p50 ${r1(r.getP50)} p95 ${r1(r.getP95)} ms · tasks not seen by every client within 30 s: ${missed}`,
    )
    for (const w of workers) w.kill()
    return r
  } finally {
    for (const p of providers) p.destroy()
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Worker mode: `count` connected clients of the board; says `ready` once all hold it, then
 * reports, per new task, when it reached each of them.
 */
async function clientWorker() {
  // y-websocket adds a process exit listener per provider.
  process.setMaxListeners(0)
  const count = Number(values.count)
  const pending = new Map()
  const clients = []
  let live = false
  for (let i = 0; i < count; i++) {
    const p = provider(values.room, values.token)
    // Counted once per client even if it reconnects and is sent the task again.
    const seen = new Set()
    p.doc.getMap('tasks').observe((e) => {
      if (!live) return
      const t = clock()
      for (const k of e.keysChanged) {
        if (seen.has(k)) continue
        seen.add(k)
        const times = pending.get(k) ?? []
        times.push(t)
        pending.set(k, times)
        if (times.length === count) {
          process.send({ arrived: k, times })
          pending.delete(k)
        }
      }
    })
    clients.push(p)
  }
  await waitFor(
    () => clients.every((p) => p.synced && p.doc.getMap('tasks').size >= TASKS),
    300_000,
    'clients synced',
  )
  live = true
  process.send({ ready: true })
}

if (values.worker !== undefined) {
  await clientWorker()
} else {
  await main()
}

async function main() {
  const rows = []
  for (let i = 1; i <= Number(values.runs); i++) rows.push(await once(i))
  const m = (k) => r1(median(rows.map((r) => r[k])))
  console.log(
    `\nTask API, ${TASKS} tasks, ${CLIENTS} connected clients, ${POSTS} POSTs and ${GETS} GETs per run, median of ${rows.length} runs (ms):`,
  )
  console.log('| measure | p50 | p95 | target |')
  console.log('|---|---:|---:|---|')
  console.log(`| POST /tasks | ${m('postP50')} | ${m('postP95')} | p95 < 20 |`)
  console.log(
    `| created task reaches all ${CLIENTS} clients (from request start) | ${m('deliveryP50')} | ${m('deliveryP95')} | p95 < 100 |`,
  )
  console.log(`| GET /tasks?limit=200 | ${m('getP50')} | ${m('getP95')} | p95 < 30 |`)
  process.exit(0)
}
