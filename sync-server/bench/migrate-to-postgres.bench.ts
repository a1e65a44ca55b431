/**
 * migrate-to-postgres on a 10,000-task board (issue 17): builds a SQLite database with one
 * project whose board has TASKS tasks (a comment on every tenth) written as the server
 * writes them — an update log of small edits, compacted every COMPACT rows with history on,
 * so the copy holds a snapshot, the log and checkpoints — then copies it into a fresh
 * Postgres schema with the real command's function (copy + verification) and prints the
 * time. Repeats REPS times on the same source (a fresh schema each time).
 *   pnpm --filter @taskflow/sync-server exec tsx bench/migrate-to-postgres.bench.ts
 *   (TASKS=10000 REPS=3; Postgres as in tests: TASKFLOW_TEST_DATABASE_URL)
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { addComment, createTask, getBoardView, initBoard } from '@taskflow/board'
import * as Y from 'yjs'
import { copySqliteToPostgres } from '../src/db/copy-to-postgres.js'
import { openDatabase } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { type LogRow, UpdateLog } from '../src/sync/update-log.js'
import { createTestSchema } from '../src/test/postgres.js'

const TASKS = Number(process.env.TASKS ?? 10_000)
const REPS = Number(process.env.REPS ?? 3)
const COMPACT = 500
const T0 = Date.UTC(2026, 10, 1)

const dir = mkdtempSync(join(tmpdir(), 'tf-migrate-bench-'))
const file = join(dir, 'taskflow.db')
const { db } = openDatabase(file)
await migrateToLatest(db)
await db
  .insertInto('users')
  .values({
    id: 'u1',
    email: 'ann@example.com',
    password_hash: 'x',
    name: 'Ann',
    avatar_color: '#000',
    created_at: T0,
    updated_at: T0,
  } as never)
  .execute()
await db
  .insertInto('projects')
  .values({
    id: 'p1',
    name: 'Big',
    description: '',
    created_by: 'u1',
    created_at: T0,
    updated_at: T0,
  } as never)
  .execute()

const log = new UpdateLog(db, () => T0, {}, { days: 90, checkpointUpdates: 1000 })
const doc = new Y.Doc()
const captured: Uint8Array[] = []
doc.on('update', (u: Uint8Array) => captured.push(u))
let seq = 0
let sinceCompact = 0
const flush = async () => {
  const rows: LogRow[] = captured.splice(0).map((update) => ({
    docName: 'p1',
    seq: ++seq,
    update,
    userId: 'u1',
    createdAt: T0 + seq * 1000,
  }))
  await log.append(rows)
  sinceCompact += rows.length
  if (sinceCompact >= COMPACT) {
    sinceCompact = 0
    await log.compact('p1', Y.encodeStateAsUpdate(doc), seq)
  }
}
const built = performance.now()
initBoard(doc, { name: 'Big' })
const ctx = () => ({ now: T0 + seq * 1000, userId: 'u1' })
const columns = getBoardView(doc).columns.map((c) => c.id)
for (let i = 0; i < TASKS; i++) {
  const r = createTask(doc, { columnId: columns[i % columns.length]!, title: `Task ${i}` }, ctx())
  if (!r.ok) throw new Error(r.error.message)
  if (i % 10 === 0) addComment(doc, r.value.id, { body: `About task ${i}` }, ctx())
  if (captured.length >= 50) await flush()
}
await flush()
await log.thinningIdle()
const stateBytes = Y.encodeStateAsUpdate(doc).length
const buildS = (performance.now() - built) / 1000

const times: number[] = []
let last = { rows: 0, tables: 0 }
for (let rep = 0; rep < REPS; rep++) {
  const target = await createTestSchema()
  try {
    const t0 = performance.now()
    const report = await copySqliteToPostgres(db, target.db())
    times.push((performance.now() - t0) / 1000)
    last = { rows: report.tables.reduce((n, t) => n + t.rows, 0), tables: report.tables.length }
  } finally {
    await target.drop()
  }
}
await db.destroy()
const fileBytes = statSync(file).size
rmSync(dir, { recursive: true, force: true })
const sorted = [...times].sort((a, b) => a - b)
console.log(
  `${TASKS} tasks, ${seq} log rows, board state ${(stateBytes / 1e6).toFixed(2)} MB, SQLite file ${(fileBytes / 1e6).toFixed(1)} MB (built in ${buildS.toFixed(1)} s)`,
)
console.log(
  `copy + verify into Postgres: ${last.tables} tables, ${last.rows} rows; median ${sorted[sorted.length >> 1]!.toFixed(2)} s (${sorted.map((t) => t.toFixed(2)).join(', ')}) over ${REPS} runs`,
)
