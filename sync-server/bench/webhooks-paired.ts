// Paired A/B of what an active webhook costs on the relay path (issue 16: "webhook delivery
// adds < 1 ms to the relay path"). Same method as bench/metrics-paired.mjs: two servers run
// AT THE SAME TIME and receive the SAME board edits in the same tick, so neighbours' load on a
// shared box lands on both. Side A's project has no webhook; side B's has one subscribed to
// every event, pointing at a receiver in this process that answers 204. Edits are real board
// operations (createTask, then moveTask of the task before), so the activity derivation and
// the webhook outbox do real work on side B (two events per edit, each delivered).
//
// Per round and side: relay latency of every edit (writer's transaction → a reader client
// holds it; p50/p95), and server CPU (utime+stime) from the first edit until every client
// holds every edit and, on side B, every event was delivered.
//
//   cd sync-server && node build.mjs
//   ROUNDS=5 CLIENTS=20 RATE=20 SECONDS=15 pnpm exec tsx bench/webhooks-paired.ts
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createTask, getBoardView, moveTask } from '@taskflow/board'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const env = (k: string, d: number) => Number(process.env[k] ?? d)
const ROUNDS = env('ROUNDS', 5)
const CLIENTS = env('CLIENTS', 20)
const RATE = env('RATE', 20) // edits per second
const SECONDS = env('SECONDS', 15)
const BASE_PORT = env('PORT', 12480)
// A/A check of the method: B_HOOK=0 runs both sides without a webhook.
const B_HOOK = env('B_HOOK', 1)
const TICKS = 100

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!
}

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(rest[11]) + Number(rest[12])) / TICKS
}

let delivered = 0
const receiver = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    delivered++
    res.statusCode = 204
    res.end()
  })
})
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`

async function api(port: number, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const json = (await res.json()) as any
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`)
  return json
}

async function startServer(side: number, port: number) {
  const dir = mkdtempSync(join(tmpdir(), `wh-paired-${side}-`))
  const child = spawn(process.execPath, [join(ROOT, 'dist/main.js')], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      TASKFLOW_DB: join(dir, 't.db'),
      TASKFLOW_WEBHOOK_ALLOW_PRIVATE: '1',
      TASKFLOW_MAX_SOCKETS_PER_USER: '1000',
      // The server's own relay histogram (accepted → fan-out written), on both sides.
      TASKFLOW_METRICS: '1',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const deadline = performance.now() + 20_000
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break
    } catch {}
    if (performance.now() > deadline) throw new Error(`server ${side} did not start`)
    await new Promise((r) => setTimeout(r, 100))
  }
  const reg = await api(port, 'POST', '/auth/register', undefined, {
    email: 'bench@example.org',
    password: 'correct horse battery staple 42',
    name: 'Bench',
  })
  const token: string = reg.token
  const project = await api(port, 'POST', '/projects', token, { name: 'Bench' })
  if (side === 1 && B_HOOK) {
    await api(port, 'POST', `/projects/${project.id}/webhooks`, token, {
      url: receiverUrl,
      events: ['task.created', 'task.updated', 'task.moved', 'task.completed', 'comment.created'],
    })
  }
  return { child, dir, port, token, projectId: project.id as string }
}

/** The server's relay histogram: mean and the bucket bound under which 95 % fell (ms). */
async function relayMetrics(port: number) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
  const num = (re: RegExp) => Number(re.exec(text)?.[1] ?? Number.NaN)
  const sum = num(/^taskflow_sync_relay_seconds_sum (\S+)$/m)
  const count = num(/^taskflow_sync_relay_seconds_count (\S+)$/m)
  const buckets = [
    ...text.matchAll(/^taskflow_sync_relay_seconds_bucket\{le="([^"]+)"\} (\S+)$/gm),
  ].map((m) => [m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]), Number(m[2])] as const)
  const p95 = buckets.find(([, c]) => c >= 0.95 * count)?.[0] ?? Number.NaN
  return { sum, count, p95 }
}

async function stopServer(s: Awaited<ReturnType<typeof startServer>>) {
  const exited = new Promise((r) => s.child.once('exit', r))
  s.child.kill('SIGTERM')
  await exited
  rmSync(s.dir, { recursive: true, force: true })
}

function openClients(s: Awaited<ReturnType<typeof startServer>>) {
  return Array.from({ length: CLIENTS }, () => {
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(`ws://127.0.0.1:${s.port}/sync`, s.projectId, doc, {
      WebSocketPolyfill: WebSocket as any,
      disableBc: true,
      params: { token: s.token },
    })
    const synced = new Promise<void>((r) => {
      const on = (ok: boolean) => {
        if (ok && getBoardView(doc).columns.length > 0) {
          provider.off('sync', on)
          r()
        }
      }
      provider.on('sync', on)
    })
    return { doc, provider, synced }
  })
}

async function round(r: number) {
  const swap = r % 2 === 1
  const ports = swap ? [BASE_PORT + 1, BASE_PORT] : [BASE_PORT, BASE_PORT + 1]
  const servers: Awaited<ReturnType<typeof startServer>>[] = []
  for (const m of swap ? [1, 0] : [0, 1]) servers[m] = await startServer(m, ports[m]!)
  const groups = servers.map(openClients)
  await Promise.all(groups.flat().map((c) => c.synced))
  const total = RATE * SECONDS
  // Per side: task id → when the writer made it; latencies seen by the last client.
  const sent = servers.map(() => new Map<string, number>())
  const lat: number[][] = servers.map(() => [])
  groups.forEach((g, m) => {
    g.at(-1)!
      .doc.getMap('tasks')
      .observe((ev) => {
        const t = performance.now()
        for (const [id, change] of ev.changes.keys) {
          const at = sent[m]!.get(id)
          if (change.action === 'add' && at !== undefined) lat[m]!.push(t - at)
        }
      })
  })
  const cols = groups.map((g) => getBoardView(g[0]!.doc).columns.map((c) => c.id))
  const before = delivered
  const cpu0 = servers.map((s) => cpuSeconds(s.child.pid!))
  const t0 = performance.now()
  const last: (string | null)[] = servers.map(() => null)
  // Events side B queues: one task.created per edit, one task.moved per move that applied.
  let events = 0
  for (let i = 0; i < total; i++) {
    const wait = t0 + (i * 1000) / RATE - performance.now()
    if (wait > 0) await new Promise((res) => setTimeout(res, wait))
    groups.forEach((g, m) => {
      const doc = g[i % Math.max(1, CLIENTS - 1)]!.doc
      const t = performance.now()
      doc.transact(() => {
        const created = createTask(doc, { columnId: cols[m]![0]!, title: `Task ${i}` })
        if (!created.ok) throw new Error(created.error.message)
        sent[m]!.set(created.value.id, t)
        // Move the previous task on: a second event per edit.
        const prev = last[m]
        if (prev && doc.getMap('tasks').has(prev)) {
          const moved = moveTask(doc, prev, { columnId: cols[m]![1]! })
          if (moved.ok && m === 1) events++
        }
        if (m === 1) events++
        last[m] = created.value.id
      })
    })
  }
  const holds = (g: (typeof groups)[number]) =>
    new Promise<void>((resolve) => {
      const check = () => g.every((c) => c.doc.getMap('tasks').size >= total)
      const tick = () => (check() ? resolve() : setTimeout(tick, 5))
      tick()
    })
  const done = await Promise.all(
    groups.map(async (g, m) => {
      await holds(g)
      // Side B's work includes delivering every event.
      if (m === 1 && B_HOOK) {
        const want = before + events
        const deadline = performance.now() + 60_000
        while (delivered < want && performance.now() < deadline)
          await new Promise((res) => setTimeout(res, 20))
      }
      return cpuSeconds(servers[m]!.child.pid!) - cpu0[m]!
    }),
  )
  const relay = await Promise.all(servers.map((s) => relayMetrics(s.port)))
  for (const c of groups.flat()) c.provider.destroy()
  for (const s of servers) await stopServer(s)
  const row = {
    round: r,
    // Server-side relay (accepted → fan-out written), mean per batch, and p95 bucket bound.
    aRelayMean: (relay[0]!.sum / relay[0]!.count) * 1000,
    bRelayMean: (relay[1]!.sum / relay[1]!.count) * 1000,
    aRelayP95: relay[0]!.p95 * 1000,
    bRelayP95: relay[1]!.p95 * 1000,
    aP50: quantile(lat[0]!, 0.5),
    bP50: quantile(lat[1]!, 0.5),
    aP95: quantile(lat[0]!, 0.95),
    bP95: quantile(lat[1]!, 0.95),
    aCpu: done[0]!,
    bCpu: done[1]!,
    delivered: delivered - before,
  }
  console.log(
    JSON.stringify(row, (_k, v) => (typeof v === 'number' ? Math.round(v * 100) / 100 : v)),
  )
  return row
}

const rows = []
for (let r = 0; r < ROUNDS; r++) rows.push(await round(r))
receiver.close()
const f = (x: number) => x.toFixed(2)
console.log(
  `\n${ROUNDS} rounds, ${CLIENTS} clients/server, ${RATE} edits/s × ${SECONDS} s, webhook on side B: ${B_HOOK ? 'yes' : 'no (A/A)'}`,
)
console.log(
  `server relay mean ms  A ${f(median(rows.map((x) => x.aRelayMean)))}  B ${f(median(rows.map((x) => x.bRelayMean)))}  ` +
    `median of per-round B−A ${f(median(rows.map((x) => x.bRelayMean - x.aRelayMean)))}; ` +
    `p95 bucket A ${median(rows.map((x) => x.aRelayP95))} B ${median(rows.map((x) => x.bRelayP95))}`,
)
console.log(
  `client-observed relay p50 ms  A ${f(median(rows.map((x) => x.aP50)))}  B ${f(median(rows.map((x) => x.bP50)))}  ` +
    `median of per-round B−A ${f(median(rows.map((x) => x.bP50 - x.aP50)))}`,
)
console.log(
  `client-observed relay p95 ms  A ${f(median(rows.map((x) => x.aP95)))}  B ${f(median(rows.map((x) => x.bP95)))}  ` +
    `median of per-round B−A ${f(median(rows.map((x) => x.bP95 - x.aP95)))}`,
)
console.log(
  `server CPU s  A ${f(median(rows.map((x) => x.aCpu)))}  B ${f(median(rows.map((x) => x.bCpu)))}  ` +
    `B/A per round: ${rows.map((x) => f(x.bCpu / x.aCpu)).join(', ')}`,
)
process.exit(0)
