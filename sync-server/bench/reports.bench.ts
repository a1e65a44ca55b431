/**
 * Reporting benchmark (issue 6). Prints Markdown tables:
 *  1. 100 projects × 1,000 tasks with a year of status history (rows written straight
 *     into the projection tables — this measures the queries, not the projector): p50/p95
 *     of every report endpoint through the real HTTP app (in-process `app.request`).
 *  2. Projecting one edit of a 10,000-task board into SQL: the derivation engine's
 *     incremental path (fold the logged row → collect → one transaction per consumer,
 *     projection and activity), median/p95 over 200 edits.
 * Run: pnpm --filter @taskflow/sync-server bench:reports   (PROJECTS=100 TASKS=1000)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createTask,
  getBoardView,
  initBoard,
  moveTask,
  PRIORITIES,
  updateTask,
} from '@taskflow/board'
import * as Y from 'yjs'
import { activityConsumer } from '../src/activity/activity.consumer.js'
import { composeServer } from '../src/composition.js'
import { parseConfig } from '../src/config.js'
import { openDatabase } from '../src/db/database.js'
import { createCommittedLog } from '../src/derivation/committed-log.js'
import { DerivationEngine } from '../src/derivation/engine.js'
import { createLogger } from '../src/logger.js'
import { projectionConsumer } from '../src/reports/projection.consumer.js'

const PROJECTS = Number(process.env.PROJECTS ?? 100)
const TASKS = Number(process.env.TASKS ?? 1000)
const DAY = 86_400_000
const NOW = Date.UTC(2026, 10, 26, 12)

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!
}
let seed = 1
const rand = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0
  return seed / 2 ** 32
}

const dir = mkdtempSync(join(tmpdir(), 'taskflow-reports-bench-'))
const { db, sqlite } = openDatabase(join(dir, 'bench.db'))
const config = parseConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  TASKFLOW_DB: join(dir, 'bench.db'),
})
const logger = createLogger('silent')
// The server as production composes it (composition.ts), on the bench's own database and clock.
const composed = composeServer(config, logger, {
  now: () => NOW,
  storage: { dialect: 'sqlite', db, sqlite, close: () => db.destroy() },
})
await composed.open()
const { app } = composed

// One user who is a member of every project.
const reg = await app.request('/api/v1/auth/register', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    email: 'bench@example.com',
    password: 'correct horse battery',
    name: 'Bench',
  }),
})
const { token, user } = (await reg.json()) as { token: string; user: { id: string } }
const others = Array.from({ length: 8 }, (_, i) => `user-${i}`)

const t0 = performance.now()
const insertProject = sqlite.prepare(
  'INSERT INTO projects (id, name, description, created_by, archived_at, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, ?, ?)',
)
const insertMember = sqlite.prepare(
  "INSERT INTO project_members (project_id, user_id, role, created_at) VALUES (?, ?, 'owner', ?)",
)
const insertColumn = sqlite.prepare(
  'INSERT INTO report_columns (project_id, column_id, name, category, position, wip_limit) VALUES (?, ?, ?, ?, ?, NULL)',
)
const insertTask = sqlite.prepare(
  `INSERT INTO report_tasks (project_id, task_id, title, column_id, column_name, category, priority, estimate,
     start_date, due_date, created_at, created_by, updated_at, completed_at, deleted_at, assignee_ids, label_ids)
   VALUES (?, ?, ?, ?, ?, ?, 'medium', ?, NULL, ?, ?, ?, ?, ?, ?, ?, '[]')`,
)
const insertAssignee = sqlite.prepare(
  'INSERT INTO report_task_assignees (project_id, task_id, user_id, open, due_key) VALUES (?, ?, ?, ?, ?)',
)
const insertChange = sqlite.prepare(
  `INSERT INTO report_status_changes (project_id, task_id, from_column_id, from_category, to_column_id, to_category, at, user_id, seq)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
)
const COLS = [
  ['todo', 'To do', 'todo'],
  ['doing', 'In progress', 'in_progress'],
  ['done', 'Done', 'done'],
] as const
const projectIds: string[] = []
let changes = 0
sqlite.transaction(() => {
  for (let p = 0; p < PROJECTS; p++) {
    const id = `00000000-0000-4000-8000-${String(p).padStart(12, '0')}`
    projectIds.push(id)
    insertProject.run(id, `Project ${p}`, '', user.id, NOW - 400 * DAY, NOW)
    insertMember.run(id, user.id, NOW - 400 * DAY)
    COLS.forEach(([cid, name, cat], i) => {
      insertColumn.run(id, cid, name, cat, i)
    })
    for (let t = 0; t < TASKS; t++) {
      const taskId = `t${t}`
      const created = NOW - Math.floor(rand() * 365 * DAY)
      const started = rand() < 0.8 ? created + Math.floor(rand() * 20 * DAY) : null
      const done =
        started !== null && rand() < 0.75 ? started + Math.floor(rand() * 15 * DAY) : null
      const final = done !== null && done < NOW ? 2 : started !== null && started < NOW ? 1 : 0
      const [cid, cname, cat] = COLS[final]!
      const assignee = others[t % others.length]!
      const due = new Date(created + 30 * DAY).toISOString().slice(0, 10)
      insertTask.run(
        id,
        taskId,
        `Task ${t}`,
        cid,
        cname,
        cat,
        t % 8,
        due,
        created,
        user.id,
        NOW,
        final === 2 ? done : null,
        rand() < 0.03 ? NOW - DAY : null,
        JSON.stringify([assignee]),
      )
      const open = final === 2 ? 0 : 1
      insertAssignee.run(id, taskId, assignee, open, due)
      if (t % 10 === 0) insertAssignee.run(id, taskId, user.id, open, due)
      insertChange.run(id, taskId, null, null, 'todo', 'todo', created, user.id, 1)
      changes++
      if (final >= 1) {
        insertChange.run(id, taskId, 'todo', 'todo', 'doing', 'in_progress', started, user.id, 1)
        changes++
      }
      if (final === 2) {
        insertChange.run(id, taskId, 'doing', 'in_progress', 'done', 'done', done, user.id, 1)
        changes++
      }
    }
  }
})()
sqlite.pragma('optimize')
const seedMs = performance.now() - t0

const endpoints = [
  'summary',
  'throughput?interval=week&from=2025-11-27&to=2026-11-26',
  'throughput?interval=day',
  'cumulative-flow?from=2025-11-27&to=2026-11-26',
  'burnup?from=2025-11-27&to=2026-11-26',
  'cycle-time?from=2026-08-28&to=2026-11-26',
  'workload',
]
const REQUESTS = 60
console.log(
  `# Reports benchmark — ${PROJECTS} projects × ${TASKS} tasks, ${changes} status changes (seeded in ${seedMs.toFixed(0)} ms)`,
)
console.log(
  `node ${process.version}; ${REQUESTS} requests per endpoint on random projects, in-process app.request (HTTP stack, auth, membership check, query, JSON)\n`,
)
console.log('| endpoint | p50 ms | p95 ms | max ms |')
console.log('|---|---:|---:|---:|')
const headers = { authorization: `Bearer ${token}` }
for (const e of [...endpoints, 'me']) {
  const times: number[] = []
  for (let i = 0; i < REQUESTS + 5; i++) {
    const pid = projectIds[Math.floor(rand() * projectIds.length)]!
    const path = e === 'me' ? '/api/v1/reports/me' : `/api/v1/projects/${pid}/reports/${e}`
    const s = performance.now()
    const res = await app.request(path, { headers })
    await res.arrayBuffer()
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`)
    if (i >= 5) times.push(performance.now() - s) // first 5: warm-up
  }
  const name = e === 'me' ? 'GET /reports/me (all projects)' : `GET …/reports/${e}`
  console.log(
    `| ${name} | ${pct(times, 0.5).toFixed(1)} | ${pct(times, 0.95).toFixed(1)} | ${Math.max(...times).toFixed(1)} |`,
  )
}

// 2. One edit of a 10,000-task board projected into SQL.
const BIG = 10_000
const bigId = '00000000-0000-4000-9000-000000000000'
insertProject.run(bigId, 'Big board', '', user.id, NOW, NOW)
const doc = new Y.Doc()
initBoard(doc, { name: 'Big board' })
const cols = getBoardView(doc).columns.map((c) => c.id)
const ids: string[] = []
for (let i = 0; i < BIG; i++) {
  const r = createTask(doc, {
    columnId: cols[i % 3]!,
    title: `Task ${i}`,
    description: 'x'.repeat(200),
    assigneeIds: [others[i % 8]!],
  })
  if (r.ok) ids.push(r.value.id)
}
const update = Y.encodeStateAsUpdate(doc)
const insertRow = sqlite.prepare(
  'INSERT INTO doc_updates (doc_name, seq, "update", user_id, created_at) VALUES (?, ?, ?, ?, ?)',
)
insertRow.run(bigId, 1, update, user.id, NOW)
const roomDoc = new Y.Doc()
Y.applyUpdate(roomDoc, update)
const engine = new DerivationEngine({
  db,
  log: createCommittedLog(db),
  consumers: [projectionConsumer(), activityConsumer()],
  logger,
  debounceMs: 60_000,
  now: () => NOW,
})
let s = performance.now()
engine.committed(bigId)
await engine.drain()
const firstMs = performance.now() - s
const write: number[] = []
let seq = 1
for (let i = 0; i < 200; i++) {
  const id = ids[Math.floor(rand() * ids.length)]!
  // A client's edit, committed to the log as the room does: with its log position.
  const client = new Y.Doc()
  Y.applyUpdate(client, Y.encodeStateAsUpdate(roomDoc))
  const sv = Y.encodeStateVector(client)
  if (i % 2) updateTask(client, id, { priority: PRIORITIES[i % 5]! })
  else moveTask(client, id, { columnId: cols[i % 3]!, index: 0 })
  const edit = Y.encodeStateAsUpdate(client, sv)
  client.destroy()
  Y.applyUpdate(roomDoc, edit)
  seq++
  const row = { seq, update: edit, userId: user.id, createdAt: NOW + i }
  insertRow.run(bigId, seq, edit, user.id, NOW + i)
  s = performance.now()
  engine.committed(bigId, [row])
  await engine.drain()
  write.push(performance.now() - s)
  if (i === 0) {
    // keep the loop honest: the edit must have reached SQL
    const row = sqlite
      .prepare('SELECT priority, column_id FROM report_tasks WHERE project_id = ? AND task_id = ?')
      .get(bigId, id)
    if (!row) throw new Error('edit not projected')
  }
}
console.log(`\n## Projecting one edit of a ${BIG.toLocaleString('en')}-task board\n`)
console.log('| step | median ms | p95 ms |')
console.log('|---|---:|---:|')
console.log(
  `| first projection of the whole board (never projected, once) | ${firstMs.toFixed(0)} | — |`,
)
console.log(
  `| fold + collect + write one logged edit (projection and activity, off the relay path) | ${pct(write, 0.5).toFixed(2)} | ${pct(write, 0.95).toFixed(2)} |`,
)

await db.destroy()
rmSync(dir, { recursive: true, force: true })
