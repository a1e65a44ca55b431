// Board history (issue 18): a 10,000-task board with 100,000 historical updates spread over
// 80 days, compacted as a room compacts (every TASKFLOW_COMPACT_UPDATES rows, through the
// real UpdateLog with the history policy: checkpoints, then retention thinning in yielding
// batches), then through the real HTTP app (in-process `app.request`, one SQLite file):
//   - `GET /board?at=` at 50 random times inside the window (p50/p95/max);
//   - `GET /tasks/:id/history` for 50 random tasks (the first request builds the index:
//     reported on its own), and a page of `GET /history/changes`;
//   - storage: the log and checkpoints kept vs. the compacted document plus the raw log;
//   - compaction's longest synchronous stall (encode + transaction), and the longest
//     event-loop delay while retention thins (monitorEventLoopDelay).
//
//   pnpm --filter @taskflow/sync-server exec tsx bench/history.mjs [--tasks 10000]
//     [--updates 100000] [--days 80] [--samples 50]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import {
  addChecklistItem,
  createTask,
  getBoardView,
  moveTask,
  updateChecklistItem,
  updateTask,
} from '@taskflow/board'
import * as Y from 'yjs'
import { createApp } from '../src/app.js'
import { parseConfig } from '../src/config.js'
import { openDatabase } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { DEFAULT_CHECKPOINT_UPDATES } from '../src/history/checkpoint-policy.js'
import { createLogger } from '../src/logger.js'
import { UpdateLog } from '../src/sync/update-log.js'

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '10000' },
    updates: { type: 'string', default: '100000' },
    days: { type: 'string', default: '80' },
    samples: { type: 'string', default: '50' },
    compact: { type: 'string', default: '500' },
  },
})
const TASKS = Number(values.tasks)
const UPDATES = Number(values.updates)
const DAYS = Number(values.days)
const SAMPLES = Number(values.samples)
const COMPACT = Number(values.compact)
const DAY = 86_400_000
const START = Date.UTC(2026, 8, 1, 8)
const END = START + DAYS * DAY
let clock = START

let seed = 18
const rand = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0
  return seed / 2 ** 32
}
const int = (n) => Math.floor(rand() * n)
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]
}
const ms = (x) => `${x.toFixed(1)} ms`

const dir = mkdtempSync(join(tmpdir(), 'taskflow-history-bench-'))
const file = join(dir, 'bench.db')
const { db, sqlite } = openDatabase(file)
await migrateToLatest(db)
const config = parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', TASKFLOW_DB: file })
const app = createApp({
  config,
  db,
  logger: createLogger('silent'),
  isReady: () => true,
  now: () => clock,
})
const call = async (path, token, init = {}) => {
  const res = await app.request(`/api/v1${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  })
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json()
}
const reg = await app.request('/api/v1/auth/register', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    email: 'ada@example.com',
    password: 'correct horse battery',
    name: 'Ada',
  }),
})
const { token: creator, user } = await reg.json()
const project = await call('/projects', creator, {
  method: 'POST',
  body: JSON.stringify({ name: 'History' }),
})
const docName = project.id

// The board as the server stored it at creation (update 1), then edits as rows after it.
const doc = new Y.Doc()
const first = sqlite
  .prepare('SELECT "update" FROM doc_updates WHERE doc_name = ? AND seq = 1')
  .get(docName)
Y.applyUpdate(doc, first.update)
const log = new UpdateLog(
  db,
  () => clock,
  {},
  { days: 90, checkpointUpdates: DEFAULT_CHECKPOINT_UPDATES },
)
let seq = 1
let rawBytes = first.update.length
let pending = []
let sinceCompaction = 0
const compactions = []
/** The transaction alone (snapshot, checkpoint policy, maybe a checkpoint): what history adds. */
const compactWrites = []
let thinMaxDelay = 0
const captured = []
doc.on('update', (u) => captured.push(u))

async function commit() {
  await log.append(pending)
  sinceCompaction += pending.length
  pending = []
  if (sinceCompaction <= COMPACT) return
  sinceCompaction = 0
  // As Room.compact: the live doc's state, merged and stored synchronously.
  const t0 = performance.now()
  const state = Y.encodeStateAsUpdate(doc)
  const t1 = performance.now()
  await log.compact(docName, state, seq)
  compactions.push(performance.now() - t0)
  compactWrites.push(performance.now() - t1)
  const h = monitorEventLoopDelay({ resolution: 1 })
  h.enable()
  await log.thinningIdle()
  h.disable()
  thinMaxDelay = Math.max(thinMaxDelay, h.max / 1e6)
}

function row() {
  const update = captured.length === 1 ? captured[0] : Y.mergeUpdates(captured)
  captured.length = 0
  rawBytes += update.length
  pending.push({ docName, seq: ++seq, update, userId: user.id, createdAt: clock })
}

const cols = getBoardView(doc).columns.map((c) => c.id)
const ctx = () => ({ now: clock, userId: user.id })
const taskIds = []
const buildStarted = performance.now()
// Tasks arrive in updates of 100 (an import, or many people adding cards) over the first day...
const creationUpdates = Math.ceil(TASKS / 100)
for (let i = 0; i < TASKS; i++) {
  const r = createTask(
    doc,
    {
      columnId: cols[int(cols.length)],
      title: `Task ${i} of the history bench`,
      descriptionMarkdown: `Notes for **task ${i}**\n\n- first\n- second`,
    },
    ctx(),
  )
  taskIds.push(r.value.id)
  if ((i + 1) % 100 === 0 || i === TASKS - 1) {
    row()
    clock += Math.floor(DAY / creationUpdates)
    if (pending.length >= 100) await commit()
  }
}
await commit()
// ...then single edits until UPDATES rows, evenly over the remaining days.
const edits = UPDATES - creationUpdates
const step = Math.floor((END - clock) / edits)
for (let i = 0; i < edits; i++) {
  const id = taskIds[int(taskIds.length)]
  const op = int(10)
  if (op < 3) updateTask(doc, id, { title: `Task ${id} edit ${i}` }, ctx())
  else if (op < 5) moveTask(doc, id, { columnId: cols[int(cols.length)], index: 0 }, ctx())
  else if (op < 6)
    updateTask(doc, id, { descriptionMarkdown: `Notes, round ${i}\n\n- first\n- second` }, ctx())
  else if (op < 8)
    updateTask(
      doc,
      id,
      { priority: ['low', 'medium', 'high', 'urgent'][int(4)], estimate: int(13) },
      ctx(),
    )
  else if (op < 9) {
    const r = addChecklistItem(doc, id, { text: `Check ${i}` }, ctx())
    if (r.ok && int(2)) updateChecklistItem(doc, id, r.value.id, { done: true }, ctx())
  } else
    updateTask(
      doc,
      id,
      {
        dueDate: `2026-12-${String(1 + int(28)).padStart(2, '0')}`,
        assigneeIds: int(2) ? [user.id] : [],
      },
      ctx(),
    )
  row()
  clock += step
  if (pending.length >= 50) await commit()
}
await commit()
clock = END
// The final compaction, as when the room unloads.
await log.compact(docName, Y.encodeStateAsUpdate(doc), seq)
await log.thinningIdle()
const buildSeconds = (performance.now() - buildStarted) / 1000

const snapshotBytes = sqlite
  .prepare('SELECT length(state) AS n FROM doc_snapshots WHERE doc_name = ?')
  .get(docName).n
const kept = sqlite
  .prepare(
    'SELECT count(*) AS rows, coalesce(sum(length("update")), 0) AS bytes FROM doc_updates WHERE doc_name = ?',
  )
  .get(docName)
const cps = sqlite
  .prepare(
    "SELECT count(*) AS n, coalesce(sum(length(state)), 0) AS bytes, count(*) FILTER (WHERE kind = 'full') AS full FROM doc_checkpoints WHERE doc_name = ?",
  )
  .get(docName)
const historyBytes = kept.bytes + cps.bytes + snapshotBytes
const budget = snapshotBytes + rawBytes

// Reads through the HTTP app, signed in again (the first session expired meanwhile).
const login = await app.request('/api/v1/auth/login', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery' }),
})
const reader = (await login.json()).token
const board = `/projects/${docName}/board`
const boardTimes = []
const windowStart = END - 90 * DAY < START ? START + DAY : END - 90 * DAY
for (let i = 0; i < SAMPLES; i++) {
  const at = windowStart + int(END - windowStart)
  const t0 = performance.now()
  const b = await call(`${board}?at=${new Date(at).toISOString()}`, reader)
  boardTimes.push(performance.now() - t0)
  if (b.tasks.length === 0) throw new Error('empty board')
}
let t0 = performance.now()
await call(`/projects/${docName}/tasks/${taskIds[0]}/history`, reader)
const indexBuild = performance.now() - t0
const historyTimes = []
for (let i = 0; i < SAMPLES; i++) {
  const id = taskIds[int(taskIds.length)]
  t0 = performance.now()
  await call(`/projects/${docName}/tasks/${id}/history`, reader)
  historyTimes.push(performance.now() - t0)
}
t0 = performance.now()
const page = await call(
  `/projects/${docName}/history/changes?from=${new Date(END - 7 * DAY).toISOString()}`,
  reader,
)
const changesMs = performance.now() - t0

// Anchors of this run (the machine is shared): loading the final state into a Y.Doc, and
// the live board read of it (the floor of any `?at=`).
const finalState = sqlite
  .prepare('SELECT state FROM doc_snapshots WHERE doc_name = ?')
  .get(docName).state
const anchorLoad = []
for (let i = 0; i < 5; i++) {
  const a0 = performance.now()
  const d = new Y.Doc()
  Y.applyUpdate(d, finalState)
  anchorLoad.push(performance.now() - a0)
  d.destroy()
}
const mb = (b) => `${(b / 1048576).toFixed(1)} MB`
console.log(
  `history bench: ${TASKS} tasks, ${seq} updates over ${DAYS} days (built + compacted in ${buildSeconds.toFixed(0)} s)`,
)
console.log(
  `anchor: loading the final state (${mb(finalState.length)}) into a Y.Doc: median ${ms(pct(anchorLoad, 0.5))}`,
)
console.log(
  `compactions: ${compactions.length}, longest synchronous ${ms(Math.max(...compactions))} (encode + write), p95 ${ms(pct(compactions, 0.95))}; the write transaction alone: longest ${ms(Math.max(...compactWrites))}; longest event-loop delay while thinning ${ms(thinMaxDelay)}`,
)
console.log(
  `storage: snapshot ${mb(snapshotBytes)}, raw log ${mb(rawBytes)} (${seq} rows); kept ${kept.rows} rows ${mb(kept.bytes)} + ${cps.n} checkpoints (${cps.full} full) ${mb(cps.bytes)} + snapshot = ${mb(historyBytes)} = ${(historyBytes / budget).toFixed(2)}× (snapshot + raw log)`,
)
console.log(
  `GET /board?at= (${SAMPLES} random times): p50 ${ms(pct(boardTimes, 0.5))}, p95 ${ms(pct(boardTimes, 0.95))}, max ${ms(Math.max(...boardTimes))}`,
)
console.log(
  `GET /tasks/:id/history: first (builds the index from ${kept.rows} rows) ${ms(indexBuild)}; then (${SAMPLES} random tasks) p50 ${ms(pct(historyTimes, 0.5))}, p95 ${ms(pct(historyTimes, 0.95))}, max ${ms(Math.max(...historyTimes))}`,
)
console.log(
  `GET /history/changes (last week, first page: ${page.steps.length} steps): ${ms(changesMs)}`,
)
await db.destroy()
rmSync(dir, { recursive: true, force: true })
