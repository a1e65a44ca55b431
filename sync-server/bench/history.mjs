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
import { composeServer } from '../src/composition.js'
import { parseConfig } from '../src/config.js'
import { openDatabase } from '../src/db/database.js'
import { docAt, historyWindow } from '../src/history/board-at.js'
import { DEFAULT_CHECKPOINT_UPDATES } from '../src/history/checkpoint-policy.js'
import { createLogger } from '../src/logger.js'
import { CompactionEncoder } from '../src/sync/compaction-encoder.js'
import { joinedStateSync } from '../src/sync/state-parts.js'
import { UpdateLog } from '../src/sync/update-log.js'

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '10000' },
    updates: { type: 'string', default: '100000' },
    days: { type: 'string', default: '80' },
    samples: { type: 'string', default: '50' },
    // The rebuild-alone line (the fallback path, not a target): fewer samples at full size.
    'rebuild-samples': { type: 'string' },
    compact: { type: 'string', default: '500' },
    // worker: as a room with the server's CompactionEncoder (the encode off the event loop);
    // sync: as before, the live doc encoded on the event loop.
    mode: { type: 'string', default: 'worker' },
    // Keep the database file (its path is printed) instead of deleting it: for profiling reads.
    keep: { type: 'boolean', default: false },
    // Stop after the build and its compactions (their figures and history storage): A/B runs
    // of the compaction path without the long reads.
    'build-only': { type: 'boolean', default: false },
    // With --build-only: stop the composed server's derivations (projection, activity, search,
    // history of the new board) before the build, so the figures are compaction's alone.
    isolate: { type: 'boolean', default: false },
  },
})
const TASKS = Number(values.tasks)
const UPDATES = Number(values.updates)
const DAYS = Number(values.days)
const SAMPLES = Number(values.samples)
const REBUILD_SAMPLES = Number(values['rebuild-samples'] ?? values.samples)
const COMPACT = Number(values.compact)
const MODE = values.mode
if (MODE !== 'worker' && MODE !== 'sync') throw new Error('--mode worker|sync')
// Large states are written in parts on the main connection (sync/state-parts.ts).
const WRITER = 'parts'
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
const config = parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', TASKFLOW_DB: file })
// The server as production composes it (composition.ts), on the bench's own database and clock.
const composed = composeServer(config, createLogger('silent'), {
  now: () => clock,
  storage: { dialect: 'sqlite', db, sqlite, close: () => db.destroy() },
})
await composed.open()
const { app } = composed
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
// A second board whose small commits probe the relay path while the big one compacts.
const probeProject = await call('/projects', creator, {
  method: 'POST',
  body: JSON.stringify({ name: 'Probe' }),
})
const probeDoc = probeProject.id
let probeSeq = sqlite
  .prepare('SELECT coalesce(max(seq), 0) AS n FROM doc_updates WHERE doc_name = ?')
  .get(probeDoc).n

let composedStopped = false
if (values.isolate) {
  await composed.idle()
  await composed.shutdown()
  composedStopped = true
}
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
const captured = []
doc.on('update', (u) => captured.push(u))

const encoder = new CompactionEncoder()
/** The stored snapshot and the rows after it, as a room holds them. */
let snapshot = null
let sinceSnapshot = []
/** Longest event-loop delay from a compaction's start to the end of its thinning. */
const compactDelays = []
/** Wall time of each compaction, start to the end of its thinning. */
const compactWall = []

// The longest stretch the event loop went without running a 1 ms timer: what a socket
// waiting to be relayed would wait (armed all along, unlike a histogram enabled right
// before a synchronous block, which does not see that block).
let lastTick = performance.now()
let gapMax = 0
const ticker = setInterval(() => {
  const t = performance.now()
  gapMax = Math.max(gapMax, t - lastTick)
  lastTick = t
}, 1)
/** Longest turn gap from a compaction's start to the end of its thinning. */
const compactGaps = []
/**
 * What a relay waits for while a compaction runs: a small commit of another board (as the
 * group commit appends it: persist before relay) every 2 ms, from request to commit. The
 * longest wait per compaction; the idle anchor runs the same probe with nothing else going on.
 */
const commitWaits = []
const PROBE_UPDATE = new Uint8Array(40).fill(7)
function startCommitProbe() {
  let running = true
  let longest = 0
  const done = (async () => {
    // Measured from when the probe's timer was due, not from when it ran: a commit request
    // arriving while the event loop is held waits for that too.
    let due = performance.now()
    while (running) {
      await log.append([
        {
          docName: probeDoc,
          seq: ++probeSeq,
          update: PROBE_UPDATE,
          userId: null,
          createdAt: clock,
        },
      ])
      longest = Math.max(longest, performance.now() - due)
      due = performance.now() + 2
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
  })()
  return async () => {
    running = false
    await done
    return longest
  }
}

async function commit() {
  await log.append(pending)
  sinceSnapshot.push(...pending.map((p) => p.update))
  sinceCompaction += pending.length
  pending = []
  if (sinceCompaction <= COMPACT) return
  sinceCompaction = 0
  await new Promise((resolve) => setTimeout(resolve, 3))
  gapMax = 0
  const h = monitorEventLoopDelay({ resolution: 1 })
  h.enable()
  const stopProbe = startCommitProbe()
  const t0 = performance.now()
  if (MODE === 'sync') {
    // As Room.compact: the live doc's state, merged and stored synchronously.
    const state = Y.encodeStateAsUpdate(doc)
    const t1 = performance.now()
    await log.compact(docName, state, seq, doc)
    compactions.push(performance.now() - t0)
    compactWrites.push(performance.now() - t1)
    snapshot = state
  } else {
    // As Room.compactInBackground: inputs read here, the encode on the worker, the write here.
    const upto = seq
    const inputs = await log.checkpointInputs(docName, upto)
    const t1 = performance.now()
    const enc = await encoder.encode({
      base: snapshot,
      updates: sinceSnapshot,
      prevSv: inputs?.prevSv ?? null,
      rows: inputs?.rows ?? null,
    })
    const t2 = performance.now()
    await log.compact(docName, enc.state, upto, undefined, {
      sv: enc.sv,
      afterSeq: inputs?.afterSeq ?? null,
      diff: enc.diff,
    })
    const t3 = performance.now()
    compactions.push(t1 - t0 + (t3 - t2))
    compactWrites.push(t3 - t2)
    snapshot = enc.state
  }
  sinceSnapshot = []
  await log.thinningIdle()
  // Timers that were due during the synchronous parts ran late by this much.
  await new Promise((resolve) => setTimeout(resolve, 2))
  h.disable()
  compactDelays.push(h.max / 1e6)
  compactGaps.push(gapMax)
  compactWall.push(performance.now() - t0)
  commitWaits.push(await stopProbe())
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
// Printed now as well: the reads below can take long on a loaded machine.
console.log(
  `[built in ${buildSeconds.toFixed(0)} s] compactions (${MODE}, snapshot written by ${WRITER}): ${compactions.length}, synchronous part longest ${ms(Math.max(...compactions))}; write longest ${ms(Math.max(...compactWrites))}; longest turn gap per compaction max ${ms(Math.max(...compactGaps))}, p95 ${ms(pct(compactGaps, 0.95))}, median ${ms(pct(compactGaps, 0.5))}`,
)
// Anchor for the delays: the same measurement over as long, doing nothing (the box is shared:
// the process is not always scheduled).
const idleDelays = []
const idleGaps = []
const idleCommitWaits = []
for (let i = 0; i < 10; i++) {
  const h = monitorEventLoopDelay({ resolution: 1 })
  h.enable()
  gapMax = 0
  const stopProbe = startCommitProbe()
  await new Promise((resolve) => setTimeout(resolve, pct(compactWall, 0.5)))
  idleCommitWaits.push(await stopProbe())
  h.disable()
  idleDelays.push(h.max / 1e6)
  idleGaps.push(gapMax)
}
clearInterval(ticker)

// A large state is stored in parts (sync/state-parts.ts); a full checkpoint at the snapshot's
// seq shares the snapshot's parts, counted once (with the snapshot).
const snapshotBytes = sqlite
  .prepare(
    'SELECT length(state) + coalesce((SELECT sum(length(data)) FROM doc_state_parts WHERE blob_id = s.parts_id), 0) AS n FROM doc_snapshots s WHERE doc_name = ?',
  )
  .get(docName).n
const kept = sqlite
  .prepare(
    'SELECT count(*) AS rows, coalesce(sum(length("update")), 0) AS bytes FROM doc_updates WHERE doc_name = ?',
  )
  .get(docName)
const cps = sqlite
  .prepare(
    `SELECT count(*) AS n, coalesce(sum(length(state)), 0)
       + coalesce((SELECT sum(length(data)) FROM doc_state_parts WHERE doc_name = $doc
           AND blob_id IN (SELECT parts_id FROM doc_checkpoints WHERE doc_name = $doc)
           AND blob_id IS NOT (SELECT parts_id FROM doc_snapshots WHERE doc_name = $doc)), 0) AS bytes,
       count(*) FILTER (WHERE kind = 'full') AS full FROM doc_checkpoints WHERE doc_name = $doc`,
  )
  .get({ doc: docName })
const historyBytes = kept.bytes + cps.bytes + snapshotBytes
const budget = snapshotBytes + rawBytes
if (values['build-only']) {
  console.log(
    `[compaction, ${MODE}, snapshot written by ${WRITER}] longest turn gap per compaction: max ${ms(Math.max(...compactGaps))}, p99 ${ms(pct(compactGaps, 0.99))}, median ${ms(pct(compactGaps, 0.5))}; monitorEventLoopDelay max ${ms(Math.max(...compactDelays))}, p99 ${ms(pct(compactDelays, 0.99))}; synchronous part longest ${ms(Math.max(...compactions))}; write longest ${ms(Math.max(...compactWrites))}; idle anchor gap max ${ms(Math.max(...idleGaps))}, median ${ms(pct(idleGaps, 0.5))}; longest commit wait of a small board per compaction: max ${ms(Math.max(...commitWaits))}, median ${ms(pct(commitWaits, 0.5))}, idle anchor max ${ms(Math.max(...idleCommitWaits))}, median ${ms(pct(idleCommitWaits, 0.5))}; compaction wall median ${ms(pct(compactWall, 0.5))}; state ${(snapshotBytes / 1048576).toFixed(1)} MB; ${compactions.length} compactions; history ${(historyBytes / budget).toFixed(2)}×`,
  )
  await encoder.close()
  if (!composedStopped) await composed.shutdown()
  await db.destroy()
  rmSync(dir, { recursive: true, force: true })
  process.exit(0)
}
const progressBoard = sqlite
  .prepare(
    'SELECT count(*) AS n, coalesce(sum(length(body)), 0) AS bytes FROM history_board WHERE doc_name = ?',
  )
  .get(docName)
// Progress lines (a full-size run can be cut by a timeout before the summary below).
console.log(
  `[storage] snapshot ${snapshotBytes} B, raw log ${rawBytes} B, kept rows ${kept.bytes} B, checkpoints ${cps.bytes} B (${cps.n}) → ${(historyBytes / budget).toFixed(2)}×; board reads so far ${progressBoard.n} rows ${progressBoard.bytes} B`,
)

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
// The first history read of the board derives its history index and stored board reads
// (in a server, the background keeps a board's derivation current once opened): reported
// on its own, like the first task-history read.
let t0 = performance.now()
await call(`${board}?at=${new Date(windowStart + int(END - windowStart)).toISOString()}`, reader)
const firstBoardAt = performance.now() - t0
console.log(`[first ?at=] ${ms(firstBoardAt)}`)
for (let i = 0; i < SAMPLES; i++) {
  const at = windowStart + int(END - windowStart)
  const t0 = performance.now()
  const b = await call(`${board}?at=${new Date(at).toISOString()}`, reader)
  boardTimes.push(performance.now() - t0)
  if (b.tasks.length === 0) throw new Error('empty board')
}
console.log(
  `[?at=] p50 ${ms(pct(boardTimes, 0.5))}, p95 ${ms(pct(boardTimes, 0.95))}, max ${ms(Math.max(...boardTimes))}`,
)
// A history scrubber: 30 steps forward, each an hour after the previous one, from a random
// time (the server keeps the document it rebuilt last and moves it forward).
const scrubTimes = []
let scrubAt = windowStart + int(END - windowStart - 31 * 3_600_000)
for (let i = 0; i < 30; i++) {
  scrubAt += 3_600_000
  const s0 = performance.now()
  await call(`${board}?at=${new Date(scrubAt).toISOString()}`, reader)
  scrubTimes.push(performance.now() - s0)
}
console.log(`[scrub] p50 ${ms(pct(scrubTimes, 0.5))}, p95 ${ms(pct(scrubTimes, 0.95))}`)
// The same kind of times again, the rebuild alone (checkpoint chain + replay), without the
// board read and the HTTP answer.
const rebuildTimes = []
const win = await historyWindow(db, docName, clock, 90)
for (let i = 0; i < REBUILD_SAMPLES; i++) {
  const at = windowStart + int(END - windowStart)
  const r0 = performance.now()
  const { doc: d } = await docAt(db, docName, win, at)
  rebuildTimes.push(performance.now() - r0)
  d.destroy()
}
t0 = performance.now()
await call(`/projects/${docName}/tasks/${taskIds[0]}/history`, reader)
const indexBuild = performance.now() - t0
console.log(`[task history first] ${ms(indexBuild)}`)
const historyTimes = []
for (let i = 0; i < SAMPLES; i++) {
  const id = taskIds[int(taskIds.length)]
  t0 = performance.now()
  await call(`/projects/${docName}/tasks/${id}/history`, reader)
  historyTimes.push(performance.now() - t0)
}
// As after a restart: a new app (nothing in memory), the index stored and current.
const { app: app2 } = composeServer(config, createLogger('silent'), {
  now: () => clock,
  storage: { dialect: 'sqlite', db, sqlite, close: () => db.destroy() },
})
t0 = performance.now()
const r2 = await app2.request(`/api/v1/projects/${docName}/tasks/${taskIds[1]}/history`, {
  headers: { authorization: `Bearer ${reader}` },
})
if (r2.status !== 200) throw new Error(`history after restart: ${r2.status}`)
await r2.json()
const afterRestart = performance.now() - t0
const indexRows = sqlite
  .prepare('SELECT count(*) AS n FROM history_versions WHERE doc_name = ?')
  .get(docName).n
// Compressed pieces of versions and steps (history-index-packs.ts), when the schema has them.
let indexPieces = null
try {
  indexPieces = sqlite
    .prepare(
      "SELECT count(*) FILTER (WHERE kind = 'versions') AS versions, count(*) FILTER (WHERE kind = 'steps') AS steps, coalesce(sum(length(body)), 0) AS bytes FROM history_index_packs WHERE doc_name = ?",
    )
    .get(docName)
} catch {
  // before the packed index
}
// Pages of the stored task-history index (tables and index), when SQLite has dbstat.
let indexBytes = null
try {
  indexBytes = sqlite
    .prepare(
      "SELECT sum(pgsize) AS n FROM dbstat WHERE name IN ('history_versions', 'history_versions_task', 'history_steps', 'sqlite_autoindex_history_steps_1', 'history_index', 'history_index_packs', 'history_index_packs_doc', 'history_index_pack_tasks')",
    )
    .get().n
} catch {
  // no dbstat in this build
}
t0 = performance.now()
const page = await call(
  `/projects/${docName}/history/changes?from=${new Date(END - 7 * DAY).toISOString()}`,
  reader,
)
const changesMs = performance.now() - t0

// Anchors of this run (the machine is shared): loading the final state into a Y.Doc, and
// the live board read of it (the floor of any `?at=`).
const finalState = joinedStateSync(
  sqlite,
  sqlite
    .prepare('SELECT state, parts_id, parts FROM doc_snapshots WHERE doc_name = ?')
    .get(docName),
)
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
  `compactions (${MODE}): ${compactions.length}, synchronous part longest ${ms(Math.max(...compactions))}, p95 ${ms(pct(compactions, 0.95))} (${MODE === 'sync' ? 'encode + write' : 'inputs + write'}); the write transaction alone: longest ${ms(Math.max(...compactWrites))}; event-loop delay during compaction (monitorEventLoopDelay, to the end of thinning): max ${ms(Math.max(...compactDelays))}, p95 ${ms(pct(compactDelays, 0.95))}, median ${ms(pct(compactDelays, 0.5))}; idle anchor (10 windows of the median compaction time ${ms(pct(compactWall, 0.5))}, doing nothing): max ${ms(Math.max(...idleDelays))}, median ${ms(pct(idleDelays, 0.5))}`,
)
console.log(
  `longest event-loop turn gap (1 ms timer) per compaction: max ${ms(Math.max(...compactGaps))}, p95 ${ms(pct(compactGaps, 0.95))}, median ${ms(pct(compactGaps, 0.5))}; idle anchor: max ${ms(Math.max(...idleGaps))}, median ${ms(pct(idleGaps, 0.5))}`,
)
console.log(
  `storage: snapshot ${mb(snapshotBytes)}, raw log ${mb(rawBytes)} (${seq} rows); kept ${kept.rows} rows ${mb(kept.bytes)} + ${cps.n} checkpoints (${cps.full} full) ${mb(cps.bytes)} + snapshot = ${mb(historyBytes)} = ${(historyBytes / budget).toFixed(2)}× (snapshot + raw log)`,
)
const boardRows = sqlite
  .prepare(
    "SELECT count(*) FILTER (WHERE kind = 'full') AS full, count(*) FILTER (WHERE kind = 'patch') AS patches, coalesce(sum(length(body)) FILTER (WHERE kind = 'full'), 0) AS fullBytes, coalesce(sum(length(body)) FILTER (WHERE kind = 'patch'), 0) AS patchBytes FROM history_board WHERE doc_name = ?",
  )
  .get(docName)
const packRows = sqlite
  .prepare(
    "SELECT count(*) FILTER (WHERE kind = 'full') AS full, count(*) FILTER (WHERE kind = 'patches') AS pieces, coalesce(sum(length(body)) FILTER (WHERE kind = 'full'), 0) AS fullBytes, coalesce(sum(length(body)) FILTER (WHERE kind = 'patches'), 0) AS pieceBytes FROM history_board_packs WHERE doc_name = ?",
  )
  .get(docName)
const boardBytes =
  boardRows.fullBytes + boardRows.patchBytes + packRows.fullBytes + packRows.pieceBytes
console.log(
  `stored board reads (derived): plain ${boardRows.full} whole ${mb(boardRows.fullBytes)} + ${boardRows.patches} patches ${mb(boardRows.patchBytes)}; compressed ${packRows.full} whole ${mb(packRows.fullBytes)} + ${packRows.pieces} pieces of patches ${mb(packRows.pieceBytes)}`,
)
console.log(
  `storage with the stored board reads: ${mb(historyBytes + boardBytes)} = ${((historyBytes + boardBytes) / budget).toFixed(2)}× (snapshot + raw log)${indexBytes === null ? '' : `; with the task-history index pages as well (${mb(indexBytes)}): ${((historyBytes + boardBytes + indexBytes) / budget).toFixed(2)}×`}`,
)
console.log(
  `GET /board?at=, first (derives the history index and board reads): ${ms(firstBoardAt)}`,
)
console.log(
  `GET /board?at= (${SAMPLES} random times): p50 ${ms(pct(boardTimes, 0.5))}, p95 ${ms(pct(boardTimes, 0.95))}, max ${ms(Math.max(...boardTimes))}`,
)
console.log(
  `GET /board?at= scrubbing (30 steps of an hour forward): p50 ${ms(pct(scrubTimes, 0.5))}, p95 ${ms(pct(scrubTimes, 0.95))}, max ${ms(Math.max(...scrubTimes))}`,
)
console.log(
  `  of which the rebuild (docAt, ${REBUILD_SAMPLES} other random times): p50 ${ms(pct(rebuildTimes, 0.5))}, p95 ${ms(pct(rebuildTimes, 0.95))}, max ${ms(Math.max(...rebuildTimes))}`,
)
console.log(
  `GET /tasks/:id/history: first (index derived by the first ?at=; ${kept.rows} rows) ${ms(indexBuild)}; then (${SAMPLES} random tasks) p50 ${ms(pct(historyTimes, 0.5))}, p95 ${ms(pct(historyTimes, 0.95))}, max ${ms(Math.max(...historyTimes))}`,
)
console.log(
  `  after a restart (index stored and current, ${indexRows} plain versions stored${indexPieces === null ? '' : ` + ${indexPieces.versions} pieces of versions and ${indexPieces.steps} of steps (${mb(indexPieces.bytes)})`}${indexBytes === null ? '' : `, ${mb(indexBytes)} of pages`}): first read ${ms(afterRestart)}`,
)
console.log(
  `GET /history/changes (last week, first page: ${page.steps.length} steps): ${ms(changesMs)}`,
)
await encoder.close()
// Background work of the composed server would keep the process alive.
if (!composedStopped) await composed.shutdown()
await db.destroy()
if (values.keep) console.log(`database kept: ${file}`)
else rmSync(dir, { recursive: true, force: true })
// The second composed app (the restart read) is never opened or shut down; what it set up
// kept the process alive after the figures (holding the shared bench lock).
process.exit(0)
