/**
 * Server search benchmark (issue 15): 100 projects × 1,000 tasks with titles, descriptions,
 * comments, checklists and labels written through the projection's search writes
 * (`writeSearchDocs`, the FTS5 triggers included), one user who is a member of every
 * project (the widest search), then many `GET /api/v1/search` requests through the real
 * HTTP app (in-process `app.request`): one- and two-word queries, whole words and
 * as-you-type prefixes of 2+ letters, common and rare words. Prints p50/p95/max.
 * Run: pnpm --filter @taskflow/sync-server bench:search   (PROJECTS=100 TASKS=1000 QUERIES=2000)
 * On Postgres (tsvector + GIN, issue 17): BACKEND=postgres, in a schema of its own on the
 * test cluster (TASKFLOW_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test),
 * dropped afterwards; the seeded table is ANALYZEd first, as autovacuum would after a load.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TaskSearchText } from '@taskflow/board'
import { sql } from 'kysely'
import { composeServer } from '../src/composition.js'
import { parseConfig } from '../src/config.js'
import { openDatabase, type Storage } from '../src/db/database.js'
import { createLogger } from '../src/logger.js'
import { writeSearchDocs } from '../src/search/search.repository.js'
import { createTestSchema } from '../src/test/postgres.js'

const PROJECTS = Number(process.env.PROJECTS ?? 100)
const TASKS = Number(process.env.TASKS ?? 1000)
const QUERIES = Number(process.env.QUERIES ?? 2000)
const BACKEND = process.env.BACKEND === 'postgres' ? 'postgres' : 'sqlite'
const NOW = Date.UTC(2026, 11, 4, 12)

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!
}
let seed = 7
const rand = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0
  return seed / 2 ** 32
}

// A 6,000-word vocabulary drawn with a Zipf-like skew, as in real text: a few words are in
// most tasks, most words in a few.
const SYL = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'sa',
  'ti',
  'vo',
  'xe',
  'ban',
  'dor',
  'fen',
  'gul',
  'pra',
  'str',
  'qui',
]
const VOCAB = Array.from({ length: 6000 }, (_, i) => {
  let w = ''
  let n = i + 1
  do {
    w += SYL[n % SYL.length]
    n = Math.floor(n / SYL.length)
  } while (n > 0)
  return w
})
const word = () => VOCAB[Math.min(VOCAB.length - 1, Math.floor(VOCAB.length * rand() ** 3))]!
const words = (n: number) => Array.from({ length: n }, word).join(' ')

const dir = mkdtempSync(join(tmpdir(), 'taskflow-search-bench-'))
const file = join(dir, 'bench.db')
const schema = BACKEND === 'postgres' ? await createTestSchema() : undefined
const storage: Storage = schema
  ? { dialect: 'postgres', db: schema.db(), sqlite: null, close: async () => {} }
  : { dialect: 'sqlite', ...openDatabase(file), close: async () => {} }
const { db } = storage
const config = parseConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  ...(schema ? { TASKFLOW_DATABASE_URL: schema.url } : { TASKFLOW_DB: file }),
})
// The server as production composes it (composition.ts), on the bench's own database and clock.
const composed = composeServer(config, createLogger('silent'), {
  now: () => NOW,
  storage,
})
await composed.open()
const { app } = composed
const reg = await app.request('/api/v1/auth/register', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    email: 'bench@example.com',
    password: 'correct horse battery',
    name: 'B',
  }),
})
const { token, user } = (await reg.json()) as { token: string; user: { id: string } }

const t0 = performance.now()
for (let p = 0; p < PROJECTS; p++) {
  const id = `00000000-0000-4000-8000-${String(p).padStart(12, '0')}`
  await db
    .insertInto('projects')
    .values({
      id,
      name: `Project ${p}`,
      description: '',
      created_by: user.id,
      archived_at: null,
      created_at: NOW,
      updated_at: NOW,
    })
    .execute()
  await db
    .insertInto('project_members')
    .values({ project_id: id, user_id: user.id, role: 'member', created_at: NOW })
    .execute()
  const rows: TaskSearchText[] = Array.from({ length: TASKS }, (_, t) => ({
    taskId: `t${t}`,
    title: words(3 + Math.floor(rand() * 6)),
    description: rand() < 0.7 ? words(10 + Math.floor(rand() * 60)) : '',
    comments: rand() < 0.4 ? words(5 + Math.floor(rand() * 40)) : '',
    checklist: rand() < 0.3 ? words(4 + Math.floor(rand() * 12)) : '',
    labels: rand() < 0.5 ? words(1 + Math.floor(rand() * 2)) : '',
    deleted: false,
  }))
  await db.transaction().execute((trx) => writeSearchDocs(trx, id, rows, []))
}
const seeded = performance.now() - t0
if (schema) await sql`ANALYZE`.execute(db)

const queries = Array.from({ length: QUERIES }, () => {
  const parts = Array.from({ length: rand() < 0.6 ? 1 : 2 }, () => {
    const w = word()
    // Half are typed so far: a prefix of at least 2 letters.
    return rand() < 0.5 ? w.slice(0, Math.max(2, Math.ceil(w.length * rand()))) : w
  })
  return parts.join(' ')
})
const get = (q: string, projectId?: string) =>
  app.request(
    `/api/v1/search?q=${encodeURIComponent(q)}${projectId ? `&projectId=${projectId}` : ''}`,
    { headers: { authorization: `Bearer ${token}` } },
  )
const projectIds = (await db.selectFrom('projects').select('id').orderBy('id').execute()).map(
  (r) => r.id,
)
for (const q of queries.slice(0, 50)) await get(q) // warm up
async function run(scope: 'all' | 'one') {
  const ms: number[] = []
  let hits = 0
  for (const q of queries) {
    const s = performance.now()
    const res = await get(
      q,
      scope === 'one' ? projectIds[Math.floor(rand() * projectIds.length)] : undefined,
    )
    const body = (await res.json()) as { results: unknown[] }
    ms.push(performance.now() - s)
    if (res.status !== 200) throw new Error(`${q}: ${res.status}`)
    hits += body.results.length
  }
  if (process.env.SLOWEST) {
    const order = ms.map((m, i) => [m, queries[i]] as const).sort((a, b) => b[0] - a[0])
    console.log(
      order
        .slice(0, 12)
        .map(([m, q]) => `${m.toFixed(0)}ms ${q}`)
        .join('\n'),
    )
  }
  const label = scope === 'all' ? `all ${PROJECTS} projects` : 'one project (`projectId`)'
  console.log(
    `| ${label} | ${(hits / QUERIES).toFixed(1)} | ${pct(ms, 0.5).toFixed(2)} ms | ${pct(ms, 0.95).toFixed(2)} ms | ${Math.max(...ms).toFixed(2)} ms |`,
  )
}
const docs = await db
  .selectFrom('search_docs')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .executeTakeFirstOrThrow()
console.log(
  `\n### Server search (${BACKEND}): ${PROJECTS} projects × ${TASKS} tasks (${docs.n} indexed)\n`,
)
console.log(
  `Seeded through writeSearchDocs in ${(seeded / 1000).toFixed(1)} s. ${QUERIES} queries per row (limit 20).\n`,
)
console.log('| searched | results/query | p50 | p95 | max |')
console.log('| --- | --- | --- | --- | --- |')
await run('all')
await run('one')
await db.destroy()
if (process.env.KEEP) console.log(`kept ${schema ? schema.schema : file}`)
else {
  await schema?.drop()
  rmSync(dir, { recursive: true, force: true })
}
