// "While you were away" (issue 18): `GET /projects/:id/away` for a week of changes on a
// 10,000-task board, through the real HTTP app (in-process `app.request`, so routing, auth,
// the query, the summary and the JSON answer are all counted; no socket). The activity log
// is written by the real derivation write path (`insertActivity`, grouping included) from
// synthetic board events: 10,000 tasks created, then CHANGES changes spread over DAYS days
// by 6 people (the reader is one of them: their own changes are left out), plus OTHER
// projects with as many changes each (the index must skip them). Target: < 200 ms.
//
//   pnpm --filter @taskflow/sync-server exec tsx bench/away.mjs   # TASKS=10000 CHANGES=100000 DAYS=35 OTHER=3 RUNS=50
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { insertActivity } from '../src/activity/activity.repository.js'
import { othersRowsOf, othersTasks } from '../src/away/away.repository.js'
import { AWAY_KINDS, summarizeLatest, summarizeTaskRows } from '../src/away/away-summary.js'
import { composeServer } from '../src/composition.js'
import { parseConfig } from '../src/config.js'
import { openDatabase } from '../src/db/database.js'
import { createLogger } from '../src/logger.js'

const TASKS = Number(process.env.TASKS ?? 10_000)
const CHANGES = Number(process.env.CHANGES ?? 100_000)
const DAYS = Number(process.env.DAYS ?? 35)
const OTHER = Number(process.env.OTHER ?? 3)
const RUNS = Number(process.env.RUNS ?? 50)
const DAY = 86_400_000
const NOW = Date.UTC(2026, 11, 4, 12)
const START = NOW - DAYS * DAY

let seed = 18
const rand = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0
  return seed / 2 ** 32
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)]

const dir = mkdtempSync(join(tmpdir(), 'taskflow-away-bench-'))
const { db, sqlite } = openDatabase(join(dir, 'bench.db'))
const config = parseConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  TASKFLOW_DB: join(dir, 'bench.db'),
})
// The server as production composes it (composition.ts), on the bench's own database and clock.
const composed = composeServer(config, createLogger('silent'), {
  now: () => NOW,
  storage: { dialect: 'sqlite', db, sqlite, close: () => db.destroy() },
})
await composed.open()
const { app } = composed

async function call(method, path, token) {
  const res = await app.request(`/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  })
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
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
const { token, user } = await reg.json()
const people = [user.id]
const insertUser = sqlite.prepare(
  "INSERT INTO users (id, email, password_hash, name, avatar_color, created_at, updated_at) VALUES (?, ?, 'x', ?, '#000', ?, ?)",
)
for (const name of ['Bob', 'Cy', 'Di', 'Ed', 'Flo']) {
  const id = randomUUID()
  insertUser.run(id, `${name.toLowerCase()}@example.com`, name, START, START)
  people.push(id)
}

const COLUMNS = [
  ['c-todo', 'To do'],
  ['c-doing', 'In progress'],
  ['c-review', 'Review'],
  ['c-done', 'Done'],
]

/** One project's board events, in time order, as the derivation would see them. */
function boardEvents() {
  const events = []
  const tasks = []
  let seq = 0
  for (let i = 0; i < TASKS; i++) {
    const col = pick(COLUMNS)
    tasks.push({ id: `task-${i}`, title: `Task number ${i}`, col: col[0], priority: 'none' })
    events.push({
      seq: ++seq,
      userId: pick(people),
      at: START + i,
      taskId: `task-${i}`,
      title: `Task number ${i}`,
      subject: '',
      kind: 'task_created',
      data: { columnId: col[0], columnName: col[1], assigneeIds: [] },
    })
  }
  const times = Array.from({ length: CHANGES }, () => START + DAY + rand() * (DAYS - 1) * DAY).sort(
    (a, b) => a - b,
  )
  for (const at of times) {
    const t = pick(tasks)
    const base = { seq: ++seq, userId: pick(people), at: Math.round(at), taskId: t.id }
    const r = rand()
    if (r < 0.3) {
      const to = pick(COLUMNS.filter((c) => c[0] !== t.col))
      const from = COLUMNS.find((c) => c[0] === t.col)
      t.col = to[0]
      events.push({
        ...base,
        title: t.title,
        subject: '',
        kind: 'task_moved',
        data: {
          fromColumnId: from[0],
          fromColumnName: from[1],
          toColumnId: to[0],
          toColumnName: to[1],
          toCategory: 'todo',
        },
      })
    } else if (r < 0.45) {
      const from = t.title
      t.title = `${from.split(' v')[0]} v${seq}`
      events.push({
        ...base,
        title: t.title,
        subject: 'title',
        kind: 'field_changed',
        data: { field: 'title', from, to: t.title },
      })
    } else if (r < 0.55) {
      events.push({
        ...base,
        title: t.title,
        subject: 'description',
        kind: 'field_changed',
        data: { field: 'description', mentionsAdded: [] },
      })
    } else if (r < 0.65) {
      const from = t.priority
      t.priority = pick(['low', 'medium', 'high', 'urgent', 'none'].filter((p) => p !== from))
      events.push({
        ...base,
        title: t.title,
        subject: 'priority',
        kind: 'field_changed',
        data: { field: 'priority', from, to: t.priority },
      })
    } else if (r < 0.75) {
      events.push({
        ...base,
        title: t.title,
        subject: 'assignees',
        kind: 'field_changed',
        data: { field: 'assignees', added: [pick(people)], removed: [] },
      })
    } else if (r < 0.8) {
      events.push({
        ...base,
        title: t.title,
        subject: 'labels',
        kind: 'field_changed',
        data: { field: 'labels', added: ['l-bug'], removed: [], names: { 'l-bug': 'Bug' } },
      })
    } else if (r < 0.95) {
      const commentId = `c-${seq}`
      events.push({
        ...base,
        title: t.title,
        subject: commentId,
        kind: 'comment_added',
        data: {
          commentId,
          excerpt: 'Looks good to me, one question about the copy.',
          mentions: [],
        },
      })
    } else {
      const itemId = `i-${seq}`
      events.push({
        ...base,
        title: t.title,
        subject: itemId,
        kind: 'checklist_item_done',
        data: { itemId, text: 'Step' },
      })
    }
  }
  return events
}

const insertProject = sqlite.prepare(
  'INSERT INTO projects (id, name, description, created_by, archived_at, created_at, updated_at) VALUES (?, ?, ?, ?, NULL, ?, ?)',
)
const insertMember = sqlite.prepare(
  "INSERT INTO project_members (project_id, user_id, role, created_at) VALUES (?, ?, 'member', ?)",
)
const filled = performance.now()
const projectIds = []
for (let p = 0; p <= OTHER; p++) {
  const id = randomUUID()
  insertProject.run(id, `Board ${p}`, '', user.id, START, START)
  for (const u of people) insertMember.run(id, u, START)
  const events = boardEvents()
  const last = new Map()
  for (let i = 0; i < events.length; i += 5000) {
    await db
      .transaction()
      .execute((trx) => insertActivity(trx, id, events.slice(i, i + 5000), last))
  }
  projectIds.push(id)
}
const [projectId] = projectIds
for (const [name, q] of [
  [
    'changed tasks',
    "SELECT task_id, max(last_at) FROM activity WHERE project_id = ? AND last_at > ? AND last_at <= ? AND kind IN ('task_moved', 'field_changed') AND (user_id IS NULL OR user_id != ?) GROUP BY task_id ORDER BY 2 DESC, task_id",
  ],
  [
    'their rows',
    "SELECT id, data FROM activity WHERE project_id = ? AND last_at > ? AND last_at <= ? AND (user_id IS NULL OR user_id != ?) AND task_id IN ('a', 'b')",
  ],
]) {
  const plan = sqlite.prepare(`EXPLAIN QUERY PLAN ${q}`).all(projectId, 0, 1, user.id)
  console.log(`plan (${name}): ${plan.map((r) => r.detail).join('; ')}`)
}
const rows = sqlite.prepare('SELECT COUNT(*) AS n FROM activity').get().n
const since = new Date(NOW - 7 * DAY).toISOString()
const inWeek = sqlite
  .prepare('SELECT COUNT(*) AS n FROM activity WHERE project_id = ? AND last_at > ?')
  .get(projectId, NOW - 7 * DAY).n
console.log(
  `filled ${rows} activity rows (${OTHER + 1} projects) in ${((performance.now() - filled) / 1000).toFixed(1)} s; ${inWeek} entries of the board in the last week`,
)

// The reader's stored visit: a week ago (the endpoint's default window).
sqlite
  .prepare('INSERT INTO board_visits (user_id, project_id, visited_at) VALUES (?, ?, ?)')
  .run(user.id, projectId, NOW - 7 * DAY)

for (let i = 0; i < 5; i++) await call('GET', `/projects/${projectId}/away`, token)
const ms = []
let body
for (let i = 0; i < RUNS; i++) {
  const t = performance.now()
  body = await call('GET', `/projects/${projectId}/away`, token)
  ms.push(performance.now() - t)
}
const explicit = []
for (let i = 0; i < RUNS; i++) {
  const t = performance.now()
  await call('GET', `/projects/${projectId}/away?since=${since}`, token)
  explicit.push(performance.now() - t)
}
// Where the time goes, in process: the changed tasks (index only), then the rows of the
// tasks listed, read in batches, parsed and folded. Anchor, interleaved in the same run: the
// previous way (until 2026-12-05), every row of the window read with its JSON, grouped and
// ordered in JS, then the same 500 tasks folded; same answer.
const since7 = NOW - 7 * DAY
async function previousWay() {
  const rows = await db
    .selectFrom('activity')
    .select(['id', 'task_id', 'kind', 'subject', 'user_id', 'last_at', 'data'])
    .where('project_id', '=', projectId)
    .where('last_at', '>', since7)
    .where('last_at', '<=', NOW)
    .where('kind', 'in', AWAY_KINDS)
    .where((eb) => eb.or([eb('user_id', 'is', null), eb('user_id', '!=', user.id)]))
    .execute()
  const byTask = new Map()
  for (const r of rows) {
    const t = byTask.get(r.task_id)
    if (t) {
      t.rows.push(r)
      if (r.last_at > t.last) t.last = r.last_at
    } else byTask.set(r.task_id, { id: r.task_id, last: r.last_at, rows: [r] })
  }
  const order = [...byTask.values()].sort((a, b) =>
    a.last === b.last ? (a.id < b.id ? -1 : 1) : b.last - a.last,
  )
  const tasks = []
  let i = 0
  for (; i < order.length && tasks.length < 500; i++) {
    const s = summarizeTaskRows(order[i].id, order[i].rows)
    if (s) tasks.push(s)
  }
  return { tasks, more: order.length - i }
}
const readMs = []
const sumMs = []
const anchorMs = []
let mine
let theirs
for (let i = 0; i < RUNS; i++) {
  const t = performance.now()
  const order = await othersTasks(db, projectId, user.id, since7, NOW)
  const t1 = performance.now()
  mine = await summarizeLatest(order, 500, (ids) =>
    othersRowsOf(db, projectId, user.id, since7, NOW, ids),
  )
  const t2 = performance.now()
  theirs = await previousWay()
  anchorMs.push(performance.now() - t2)
  sumMs.push(t2 - t1)
  readMs.push(t1 - t)
}
if (JSON.stringify(mine) !== JSON.stringify(theirs)) throw new Error('the two ways disagree')
const inProcess = readMs.map((x, i) => x + sumMs[i])
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]
}
const changes = body.tasks.reduce((n, t) => n + t.changes.length, 0)
console.log(
  `answer: ${body.tasks.length} tasks listed (+${body.moreTasks} more), ${changes} changes, ${JSON.stringify(body).length} bytes`,
)
console.log('| request | runs | p50 (ms) | p95 (ms) | max (ms) |')
console.log('|---|---:|---:|---:|---:|')
for (const [name, xs] of [
  ['GET /away (stored visit, a week ago)', ms],
  ['GET /away?since=<a week ago>', explicit],
  ['in process: the summary', inProcess],
  ['  of which: the changed tasks (index only)', readMs],
  ['  of which: their rows, read and summarised', sumMs],
  ['anchor, same run: the previous way (every row of the week)', anchorMs],
]) {
  console.log(
    `| ${name} | ${xs.length} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 95).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`,
  )
}
const median = (xs) => pct(xs, 50)
console.log(
  `ratio in process / anchor: median ${(median(inProcess) / median(anchorMs)).toFixed(2)}; per run median ${median(inProcess.map((x, i) => x / anchorMs[i])).toFixed(2)}`,
)
console.log(
  `load average at the end: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
)
await db.destroy()
rmSync(dir, { recursive: true, force: true })
