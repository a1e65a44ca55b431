// Issue 17: fan-out across several nodes. Starts NODES TaskFlow processes (the production
// bundle, as `pnpm start` runs it) on one fresh PostgreSQL database and one Redis key
// prefix, signs up one user per board, and puts C clients on each of B boards, client j of
// board b on node (b + j) mod NODES — so every board's clients are spread over the nodes and
// each update crosses Redis (one user owns every board; its per-user limits are raised for
// the run, as the scenario is that many people). Writer 0 of each board makes RATE small edits per second (a
// task field set), for DURATION seconds. Reported: fan-out per edit (time until the last
// other client of the board integrated it) p50/p95/p99/max, deliveries, the CPU each node
// used during the edit phase and per delivery, RSS per node, and whether every board's
// clients converged. With NODES=1 the same driver gives the one-node figure (still on
// PostgreSQL, without Redis) to compare against.
//   node bench/cluster-fanout.mjs [--nodes 3] [--boards 30] [--clients 10] [--rate 2]
//     [--duration 15] [--drain 60] [--bundle dist/main.js] [--label L] [--json-out F]
//   (env SERVER_NODE_ARGS: extra node flags for the servers, e.g. a CPU profile)
// Needs the shared harness installed in BENCH_DIR (default /tmp/tf-bench; `node bench/run.mjs`
// installs it) for its y-websocket client, and psql/createdb for the database.
import { execFileSync, spawn } from 'node:child_process'
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'

const H = process.env.BENCH_DIR ?? '/tmp/tf-bench'
const load = (p) => import(pathToFileURL(`${H}/${p}`).href)
const Y = await load('node_modules/yjs/dist/yjs.mjs')
const { openClient, withTimeout } = await load('lib/clients.mjs')
const { parseArgs, procSample, percentiles, round, sleep, waitFor, fillBoard } =
  await load('lib/common.mjs')

const args = parseArgs()
const NODES = Number(args.nodes ?? 3)
const BOARDS = Number(args.boards ?? 30)
const CLIENTS = Number(args.clients ?? 10)
const RATE = Number(args.rate ?? 2)
const DURATION = Number(args.duration ?? 15)
const DRAIN = Number(args.drain ?? 60)
const SEED_TASKS = Number(args['seed-tasks'] ?? 200)
const BUNDLE = resolve(String(args.bundle ?? 'dist/main.js'))
const BASE_PORT = Number(args.port ?? 12400)
// Extra node flags for the servers (env SERVER_NODE_ARGS, e.g. '--cpu-prof --cpu-prof-dir=/tmp/p').
const NODE_ARGS = (process.env.SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)
const label = String(args.label ?? `${NODES} node${NODES > 1 ? 's' : ''}`)
const id = `${Date.now().toString(36)}${process.pid}`
const database = `tf_cluster_bench_${id}`
const pgHost = ['-h', '127.0.0.1', '-U', 'postgres']
const now = () => performance.now()
/** The next clock of `client` in `doc` (Yjs's own getState, which it does not export). */
function stateOf(doc, client) {
  const structs = doc.store.clients.get(client)
  if (!structs) return 0
  const last = structs[structs.length - 1]
  return last.id.clock + last.length
}

execFileSync('createdb', [...pgHost, database])
const dir = mkdtempSync(join(tmpdir(), 'tf-cluster-bench-'))
const nodes = []

async function startNode(i) {
  const port = BASE_PORT + i
  const env = {
    ...process.env,
    MALLOC_MMAP_THRESHOLD_: '131072',
    MALLOC_TRIM_THRESHOLD_: '131072',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    TASKFLOW_DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`,
    TASKFLOW_DB: join(dir, `unused-${i}.db`),
    TASKFLOW_FILES: join(dir, 'files'),
    TASKFLOW_PROJECTS_PER_HOUR: '1000',
    TASKFLOW_METRICS: '1',
    TASKFLOW_MAX_SOCKETS_PER_USER: '2000',
    TASKFLOW_USER_OUTPUT_BYTES: String(1024 ** 3),
    ...(NODES > 1
      ? { TASKFLOW_REDIS_URL: 'redis://127.0.0.1:6379', TASKFLOW_REDIS_PREFIX: `tf-bench-${id}` }
      : {}),
  }
  const child = spawn(process.execPath, [...NODE_ARGS, BUNDLE], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const node = { i, port, child, pid: child.pid }
  nodes.push(node)
  const deadline = Date.now() + 120_000
  while ((await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.ok !== true) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`node ${i} not ready`)
    await sleep(100)
  }
  return node
}

async function post(port, path, body, token) {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

/** Sums and counts of a node's commit and relay histograms (its /metrics). */
async function scrapeHistograms(n) {
  const text = await (await fetch(`http://127.0.0.1:${n.port}/metrics`)).text()
  const num = (name) => Number(new RegExp(`^${name} ([\\d.e+-]+)`, 'm').exec(text)?.[1] ?? 0)
  const out = {}
  for (const k of ['commit', 'relay']) {
    out[k] = {
      sum: num(`taskflow_sync_${k}_seconds_sum`),
      count: num(`taskflow_sync_${k}_seconds_count`),
    }
  }
  return out
}

/** Mean ms of one histogram between two scrapes (the edit phase). */
function meanMs(before, after, k) {
  const count = after[k].count - before[k].count
  return count > 0 ? round(((after[k].sum - before[k].sum) * 1000) / count, 1) : null
}

const clients = []
let exitCode = 0
try {
  // The first node migrates the database; the others start on the migrated schema.
  await startNode(0)
  for (let i = 1; i < NODES; i++) await startNode(i)
  const url = (n) => `ws://127.0.0.1:${nodes[n].port}/sync`

  // One user with one project per board (sign-ups are rate-limited per address; the bench's
  // clients are that many people, so the per-user socket limit is raised for the run).
  const { token } = await post(nodes[0].port, '/auth/register', {
    email: `bench-${id}@example.org`,
    password: 'benchmark password',
    name: 'Bench',
  })
  const boards = []
  for (let b = 0; b < BOARDS; b++) {
    const project = await post(nodes[b % NODES].port, '/projects', { name: `bench ${b}` }, token)
    boards.push({ b, token, room: project.id, edits: [], clients: [] })
  }

  // Writer first, seeded; then the board's other clients, spread over the nodes.
  for (const board of boards) {
    const writer = openClient({
      kind: 'y-websocket',
      url: url(board.b % NODES),
      room: board.room,
      token: board.token,
    })
    await withTimeout(writer.synced, 60_000, `writer of board ${board.b} synced`)
    fillBoard(writer.doc, SEED_TASKS, 1000 + board.b)
    board.clients.push(writer)
    clients.push(writer)
  }
  for (const board of boards) {
    for (let j = 1; j < CLIENTS; j++) {
      const c = openClient({
        kind: 'y-websocket',
        url: url((board.b + j) % NODES),
        room: board.room,
        token: board.token,
      })
      board.clients.push(c)
      clients.push(c)
    }
  }
  await withTimeout(Promise.all(clients.map((c) => c.synced)), 120_000, 'all clients synced')
  for (const board of boards) {
    for (const c of board.clients) {
      await waitFor(() => c.doc.getMap('tasks').size === SEED_TASKS, 60_000, 'seed arrived', 20)
    }
  }
  // The seed's derivation (activity, projection, search, history of 200 new tasks a board)
  // must not run inside the measured edits: wait until no consumer lags, then for the
  // awareness burst of the joins to settle.
  const lagDeadline = Date.now() + 300_000
  for (;;) {
    const text = await (await fetch(`http://127.0.0.1:${nodes[0].port}/metrics`)).text()
    const lag = /^taskflow_derivation_lag_updates (\d+)/m.exec(text)
    if (lag && Number(lag[1]) === 0) break
    if (Date.now() > lagDeadline) throw new Error(`derivations still lag: ${lag?.[1]}`)
    await sleep(500)
  }
  await sleep(2000)

  // Each receiver records when it first held each edit of its board's writer.
  for (const board of boards) {
    const writerId = board.clients[0].doc.clientID
    board.latencies = []
    board.clients.slice(1).forEach((c) => {
      let next = 0
      c.doc.on('afterTransaction', (tr) => {
        if (tr.local) return
        const t = now()
        const state = stateOf(c.doc, writerId)
        while (next < board.edits.length && board.edits[next].clock <= state) {
          const e = board.edits[next]
          e.received++
          e.last = Math.max(e.last, t - e.t)
          board.latencies.push(t - e.t)
          next++
        }
      })
    })
  }

  const histBefore = await Promise.all(nodes.map(scrapeHistograms))
  const lag = monitorEventLoopDelay({ resolution: 5 })
  lag.enable()
  const cpu0 = nodes.map((n) => procSample(n.pid))
  const total = Math.ceil(RATE * DURATION)
  const t0 = now()
  // Edit k of every board at t0 + k / RATE (boards staggered evenly within the period).
  const ticks = []
  for (let k = 0; k < total; k++) {
    for (const board of boards) ticks.push({ at: (k + board.b / BOARDS) * (1000 / RATE), board, k })
  }
  for (const { at, board, k } of ticks) {
    const wait = t0 + at - now()
    if (wait > 1) await sleep(wait)
    const doc = board.clients[0].doc
    const task = doc.getMap('tasks').get(doc.getMap('tasks').keys().next().value)
    const t = now()
    task.set('title', `edit ${k} of board ${board.b}`)
    board.edits.push({ clock: stateOf(doc, doc.clientID), t, received: 0, last: 0 })
  }
  const cpu1 = nodes.map((n) => procSample(n.pid))
  lag.disable()
  const receivers = CLIENTS - 1
  await waitFor(
    () => boards.every((b) => b.edits.every((e) => e.received === receivers)),
    DRAIN * 1000,
    'every edit delivered',
    50,
  ).catch(() => {})

  const edits = boards.flatMap((b) => b.edits)
  const fanout = percentiles(edits.filter((e) => e.received === receivers).map((e) => e.last))
  const deliveries = edits.reduce((s, e) => s + e.received, 0)
  const converged = boards.every((b) => {
    const sv = Buffer.from(Y.encodeStateVector(b.clients[0].doc)).toString('base64')
    return b.clients.every((c) => Buffer.from(Y.encodeStateVector(c.doc)).toString('base64') === sv)
  })
  const histAfter = await Promise.all(nodes.map(scrapeHistograms))
  const perNode = nodes.map((_n, i) => ({
    commitMeanMs: meanMs(histBefore[i], histAfter[i], 'commit'),
    relayMeanMs: meanMs(histBefore[i], histAfter[i], 'relay'),
    node: i,
    cpuSec: round(cpu1[i].cpuSec - cpu0[i].cpuSec, 2),
    rssMiB: round((cpu1[i].rssKiB ?? 0) / 1024, 0),
  }))
  const cpuTotal = perNode.reduce((s, n) => s + n.cpuSec, 0)
  const result = {
    label,
    nodes: NODES,
    boards: BOARDS,
    clients: BOARDS * CLIENTS,
    edits: edits.length,
    incomplete: edits.filter((e) => e.received !== receivers).length,
    deliveries,
    fanoutMs: {
      p50: round(fanout.p50),
      p95: round(fanout.p95),
      p99: round(fanout.p99),
      max: round(fanout.max),
    },
    cpuSecTotal: round(cpuTotal, 2),
    cpuUsPerDelivery: round((cpuTotal * 1e6) / deliveries, 1),
    perNode,
    driverLagP99Ms: round(lag.percentile(99) / 1e6, 1),
    converged,
    load: execFileSync('cat', ['/proc/loadavg']).toString().split(' ').slice(0, 3).join(' '),
  }
  console.log(JSON.stringify(result))
  if (args['json-out']) appendFileSync(String(args['json-out']), `${JSON.stringify(result)}\n`)
  if (!converged || result.incomplete > 0) exitCode = 1
} catch (e) {
  console.error(e)
  exitCode = 1
} finally {
  for (const c of clients) c.close()
  for (const n of nodes) n.child.kill('SIGTERM')
  await Promise.all(
    nodes.map(
      (n) => new Promise((r) => (n.child.exitCode !== null ? r() : n.child.once('exit', r))),
    ),
  )
  try {
    execFileSync('dropdb', [...pgHost, '--if-exists', database])
  } catch {}
  rmSync(dir, { recursive: true, force: true })
}
process.exit(exitCode)
