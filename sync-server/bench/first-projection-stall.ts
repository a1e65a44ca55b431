/**
 * Issue 17: while a never-projected 10,000-task board loads and projects, a second busy
 * board's fan-out p99 stays < 50 ms and the server's event loop never stalls > 50 ms.
 *
 * Two phases on the same data, each a fresh server process (bench/stall-server.ts):
 *  - anchor: only the busy board (10 clients, one writer adding a task every 50 ms);
 *  - test: the same, right after a start at which a 10,000-task board (≈7 MB update, put
 *    straight into its log, its derivation cursors removed) is behind: the start-up
 *    catch-up projects it, and a client opens it meanwhile.
 * Prints fan-out p50/p99/max of the busy board (time until the last of 9 observers holds
 * a new task), the server's max event-loop delay, and how long the projection took.
 * Run: pnpm --filter @taskflow/sync-server exec tsx bench/first-projection-stall.ts  (REPS=3;
 * SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" profiles each server process; OPENER=thread
 * opens the big board from a worker thread, so the client's own apply of it does not delay the
 * fan-out timed on this thread; STALL_GAPS_MS=40 prints the server's event-loop gaps)
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { Worker } from 'node:worker_threads'
import { createTask, getBoardView } from '@taskflow/board'
import SQLite from 'better-sqlite3'
import ws from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

const REPS = Number(process.env.REPS ?? 3)
const TASKS = Number(process.env.TASKS ?? 10_000)
const CLIENTS = 10
const EDIT_MS = 50
const PHASE_MS = Number(process.env.PHASE_MS ?? 12_000)

interface Server {
  child: ChildProcess
  port: number
  lines: AsyncIterator<string>
  send(cmd: string): void
}

async function start(dbFile: string): Promise<Server> {
  // SERVER_NODE_ARGS: e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" (where the stalls come from).
  const extra = process.env.SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', 'bench/stall-server.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      TASKFLOW_DB: dbFile,
      TASKFLOW_INSECURE_OPEN: '0',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]()
  for (;;) {
    const { value, done } = await lines.next()
    if (done) throw new Error('server exited')
    const m = /^PORT=(\d+)/.exec(value)
    if (m) return { child, port: Number(m[1]), lines, send: (c) => child.stdin!.write(`${c}\n`) }
  }
}

async function stall(s: Server): Promise<{ maxMs: number; p99Ms: number }> {
  s.send('report')
  for (;;) {
    const { value } = await s.lines.next()
    if (value.startsWith('STALL ')) return JSON.parse(value.slice(6))
  }
}

async function stop(s: Server): Promise<void> {
  s.send('stop')
  await new Promise((r) => s.child.once('exit', r))
}

async function api(
  port: number,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

function connect(port: number, room: string, token: string) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/sync`, room, doc, {
    WebSocketPolyfill: ws as unknown as typeof WebSocket,
    disableBc: true,
    params: { token },
  })
  const synced = new Promise<void>((r) => provider.once('sync', () => r()))
  return { doc, provider, synced }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] ?? Number.NaN
}

/** The busy board's fan-out for PHASE_MS; `during` runs alongside. */
async function fanOut(port: number, room: string, token: string, userId: string) {
  const clients = Array.from({ length: CLIENTS }, () => connect(port, room, token))
  await Promise.all(clients.map((c) => c.synced))
  const [writer, ...observers] = clients
  const column = getBoardView(writer!.doc).columns[0]!.id
  const lat: number[] = []
  const end = performance.now() + PHASE_MS
  let i = 0
  while (performance.now() < end) {
    const t0 = performance.now()
    const r = createTask(writer!.doc, { columnId: column, title: `edit ${i++}` }, { userId })
    if (!r.ok) throw new Error('createTask failed')
    const id = r.value.id
    const seen = observers.map(
      (o) =>
        new Promise<void>((resolve) => {
          const check = () => {
            if (o.doc.getMap('tasks').has(id)) {
              o.doc.off('update', check)
              resolve()
            }
          }
          o.doc.on('update', check)
          check()
        }),
    )
    void Promise.all(seen).then(() => lat.push(performance.now() - t0))
    await new Promise((r) => setTimeout(r, EDIT_MS))
  }
  await new Promise((r) => setTimeout(r, 1000))
  for (const c of clients) {
    c.provider.destroy()
    c.doc.destroy()
  }
  return lat
}

const dir = mkdtempSync(join(tmpdir(), 'taskflow-stall-'))
const dbFile = join(dir, 'taskflow.db')
const setup = await start(dbFile)
const reg = await api(setup.port, 'POST', '/auth/register', undefined, {
  email: 'bench@example.org',
  password: 'benchmark password',
  name: 'Bench',
})
const token: string = reg.token
const userId: string = reg.user.id
const big = (await api(setup.port, 'POST', '/projects', token, { name: 'Big' })).id as string
const busy = (await api(setup.port, 'POST', '/projects', token, { name: 'Busy' })).id as string
await stop(setup)

// The big board's 10,000 tasks as one logged update after what the project was created with.
const sqlite = new SQLite(dbFile)
const doc = new Y.Doc()
const rows = sqlite
  .prepare('SELECT seq, "update" FROM doc_updates WHERE doc_name = ? ORDER BY seq')
  .all(big) as { seq: number; update: Buffer }[]
for (const r of rows) Y.applyUpdate(doc, r.update)
const sv = Y.encodeStateVector(doc)
const cols = getBoardView(doc).columns.map((c) => c.id)
for (let i = 0; i < TASKS; i++) {
  createTask(
    doc,
    { columnId: cols[i % cols.length]!, title: `Task ${i}`, description: 'x'.repeat(200) },
    { userId },
  )
}
const bigUpdate = Y.encodeStateAsUpdate(doc, sv)
const bigSeq = (rows.at(-1)?.seq ?? 0) + 1
sqlite.close()
console.log(`big board: ${TASKS} tasks, ${(bigUpdate.length / 1e6).toFixed(1)} MB update`)

function makeBehind(inject: boolean) {
  const db = new SQLite(dbFile)
  db.prepare('DELETE FROM doc_updates WHERE doc_name = ? AND seq >= ?').run(big, bigSeq)
  db.prepare('DELETE FROM doc_snapshots WHERE doc_name = ?').run(big)
  if (inject) {
    db.prepare(
      'INSERT INTO doc_updates (doc_name, seq, "update", user_id, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(big, bigSeq, bigUpdate, userId, Date.now())
    // Never projected: no consumer has derived anything of it.
    db.prepare('DELETE FROM derivation_cursors WHERE doc_name = ?').run(big)
    for (const t of ['report_tasks', 'report_status_changes', 'search_docs', 'activity'])
      db.prepare(`DELETE FROM ${t} WHERE project_id = ?`).run(big)
  }
  db.close()
}

const results: Record<string, unknown>[] = []
for (let rep = 0; rep < REPS; rep++) {
  for (const phase of ['anchor', 'test'] as const) {
    makeBehind(phase === 'test')
    const t0 = performance.now()
    const s = await start(dbFile)
    s.send('reset')
    let projectedMs = Number.NaN
    let opened: Promise<void> = Promise.resolve()
    if (phase === 'test') {
      // Someone opens the big board while it projects: here, or on a worker thread
      // (OPENER=thread) so that applying the board does not stall this process's event loop,
      // which times the busy board's fan-out.
      if (process.env.OPENER === 'thread') {
        const w = new Worker(new URL('./open-board.mjs', import.meta.url), {
          workerData: { port: s.port, room: big, token },
        })
        opened = new Promise<void>((resolve, reject) => {
          w.once('message', () => void w.terminate().then(() => resolve()))
          w.once('error', reject)
        })
      } else {
        const c = connect(s.port, big, token)
        opened = c.synced.then(() => {
          c.provider.destroy()
          c.doc.destroy()
        })
      }
      void (async () => {
        for (;;) {
          // A keep-alive connection the server just closed fails once: ask again.
          const sum = await api(s.port, 'GET', `/projects/${big}/reports/summary`, token).catch(
            () => null,
          )
          if (!sum) continue
          const n = Object.values(sum.byCategory as Record<string, number>).reduce((a, b) => a + b)
          if (n >= TASKS) {
            projectedMs = performance.now() - t0
            return
          }
          await new Promise((r) => setTimeout(r, 100))
        }
      })()
    }
    const lat = await fanOut(s.port, busy, token, userId)
    await opened
    // The stall figure covers the whole projection.
    const deadline = performance.now() + 180_000
    while (phase === 'test' && Number.isNaN(projectedMs) && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 100))
    const st = await stall(s)
    await stop(s)
    const row = {
      rep: rep + 1,
      phase,
      edits: lat.length,
      p50: +pct(lat, 0.5).toFixed(1),
      p99: +pct(lat, 0.99).toFixed(1),
      max: +Math.max(...lat).toFixed(1),
      stallMaxMs: st.maxMs,
      stallP99Ms: st.p99Ms,
      projectedMs: Number.isNaN(projectedMs) ? null : Math.round(projectedMs),
    }
    console.log(JSON.stringify(row))
    results.push(row)
  }
}
rmSync(dir, { recursive: true, force: true })
