import { createTask, getBoardView, initBoard, moveTask } from '@taskflow/board'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { activityConsumer } from '../activity/activity.consumer.js'
import { type Db, type Dialect, openDatabase, openPostgres } from '../db/database.js'
import { createLogger } from '../logger.js'
import { projectionConsumer } from '../reports/projection.consumer.js'
import { BACKENDS, createTestDatabase, type TestDatabase } from '../test/backends.js'
import { seedLogRows, seedProject } from '../test/seed-log.js'
import { createCommittedLog, type LogEntry } from './committed-log.js'
import { DatabaseLease } from './database-lease.js'
import { DerivationEngine } from './engine.js'
import { type Folder, InlineFolder } from './folder.js'

/**
 * Several nodes on one database (issue 17): exactly one runs a document's consumers at a
 * time (derivation_leases), a dead holder's lease is taken over once it expires (injected
 * clock), and whatever the interleaving every activity entry and status change is written
 * exactly once — the same as one engine alone writes.
 */
const T0 = Date.UTC(2026, 11, 6, 9)
const LEASE_MS = 30_000
const BATCH = 6
const logger = createLogger('silent')

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

/** A board log: tasks created and moved across the columns by ann, one row per edit. */
function boardLog(tasks: number): LogEntry[] {
  const doc = new Y.Doc()
  const rows: LogEntry[] = []
  const log = (f: () => void) => {
    const sv = Y.encodeStateVector(doc)
    f()
    const seq = rows.length + 1
    rows.push({ seq, update: Y.encodeStateAsUpdate(doc, sv), userId: 'ann', createdAt: T0 + seq })
  }
  log(() => initBoard(doc, { name: 'P' }))
  const [todo, doing, done] = getBoardView(doc).columns.map((c) => c.id) as [string, string, string]
  for (let i = 0; i < tasks; i++) {
    let id = ''
    log(() => {
      const r = createTask(doc, { columnId: todo, title: `T${i}` }, { userId: 'ann' })
      if (r.ok) id = r.value.id
    })
    log(() => moveTask(doc, id, { columnId: doing }, { userId: 'ann' }))
    log(() => moveTask(doc, id, { columnId: done }, { userId: 'ann' }))
  }
  return rows
}

/** A migrated database of `dialect` holding project p1 and its log; `connect` opens another connection (a node). */
async function world(dialect: Dialect, rows: LogEntry[]) {
  const t: TestDatabase = await createTestDatabase(dialect)
  cleanups.push(t.drop)
  const { db } = t
  await seedProject(db, 'p1', T0)
  await seedLogRows(db, 'p1', rows)
  const connect = (): Db => {
    const other =
      dialect === 'postgres'
        ? openPostgres({ url: t.env.TASKFLOW_DATABASE_URL!, max: 2 }).db
        : openDatabase(t.env.TASKFLOW_DB!).db
    cleanups.push(() => other.destroy())
    return other
  }
  return { db, connect }
}

/** The nodes' shared clock (each node's own in production; only its reading matters here). */
function clock() {
  let t = T0
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

/** A folder that counts the rows it folds and can be stopped before a chosen batch ("killed"). */
function countingFolder(opts: { hangAtBatch?: number } = {}) {
  const inner = new InlineFolder()
  let batches = 0
  let folded = 0
  let resume: (() => void) | null = null
  let reachedHang: () => void = () => {}
  const hung = new Promise<void>((r) => {
    reachedHang = r
  })
  const folder: Folder = {
    init: (key, base, at) => inner.init(key, base, at),
    async advance(key, rows) {
      if (rows.length > 0 && ++batches === opts.hangAtBatch) {
        reachedHang()
        await new Promise<void>((r) => {
          resume = r
        })
      }
      folded += rows.length
      return inner.advance(key, rows)
    },
    drop: (key) => inner.drop(key),
    close: () => inner.close(),
  }
  return { folder, folded: () => folded, hung, resume: () => resume?.() }
}

function node(db: Db, name: string, now: () => number, folder: Folder) {
  const engine = new DerivationEngine({
    db,
    log: createCommittedLog(db),
    consumers: [projectionConsumer(), activityConsumer()],
    logger,
    now,
    debounceMs: 1,
    batchRows: BATCH,
    leaseRetryMs: 1,
    lease: new DatabaseLease(db, name, now, LEASE_MS),
    folder,
  })
  cleanups.push(() => engine.stop())
  return engine
}

/** What readers of activity and reports see: every entry and status change, in order. */
async function observed(db: Db) {
  const activity = await db
    .selectFrom('activity')
    .select(['task_id', 'kind', 'seq', 'last_seq', 'data'])
    .orderBy('seq')
    .orderBy('id')
    .execute()
  const changes = await db
    .selectFrom('report_status_changes')
    .select(['task_id', 'to_category', 'seq'])
    .orderBy('seq')
    .orderBy('task_id')
    .execute()
  const cursors = await db
    .selectFrom('derivation_cursors')
    .select(['consumer', 'seq'])
    .orderBy('consumer')
    .execute()
  return { activity, changes, cursors }
}

/** What one engine alone derives from `rows` (the reference). */
async function alone(dialect: Dialect, rows: LogEntry[]) {
  const { db } = await world(dialect, rows)
  const c = clock()
  const e = node(db, 'solo', c.now, new InlineFolder())
  e.committed('p1')
  await e.drain()
  return observed(db)
}

describe('derivation lease in the database', () => {
  // Two nodes' transactions interleave freely here; on SQLite two connections in one process
  // would make the waiting one block this very thread (separate processes are unaffected).
  it('postgres: two nodes woken together by the same commits derive each entry exactly once', async () => {
    const rows = boardLog(12)
    const expected = await alone('postgres', rows)
    expect(expected.activity.length).toBeGreaterThan(20)
    const { connect } = await world('postgres', rows)
    const c = clock()
    const a = countingFolder()
    const b = countingFolder()
    const na = node(connect(), 'node-a', c.now, a.folder)
    const nb = node(connect(), 'node-b', c.now, b.folder)
    for (let i = 0; i < 5; i++) {
      na.committed('p1')
      nb.committed('p1')
      await Promise.all([na.drain(), nb.drain()])
    }
    // drain() does not wait for a node's look-again after it found the lease held (another
    // node may hold it for long): stop both, so no such look holds the lease while we read.
    await Promise.all([na.stop(), nb.stop()])
    const db = connect()
    expect(await observed(db)).toEqual(expected)
    // One node folded the log; the other found it held, or found nothing left to do.
    expect(a.folded() + b.folded()).toBe(rows.length)
    expect(await db.selectFrom('derivation_leases').selectAll().execute()).toEqual([])
  })

  it.each(BACKENDS)(
    '%s: a holder that dies mid-batch keeps the lease until it expires; then another node takes over and each entry is still written once',
    async (dialect) => {
      const rows = boardLog(12)
      const expected = await alone(dialect, rows)
      const { connect } = await world(dialect, rows)
      const c = clock()
      // Node A writes two batches, then "dies" while folding the third (its lease stays).
      const a = countingFolder({ hangAtBatch: 3 })
      const na = node(connect(), 'node-a', c.now, a.folder)
      na.committed('p1')
      await a.hung
      const db = connect()
      const midway = await observed(db)
      expect(midway.cursors.map((r) => r.seq)).toEqual([2 * BATCH, 2 * BATCH])
      expect(await db.selectFrom('derivation_leases').select('holder').execute()).toEqual([
        { holder: 'node-a' },
      ])

      // Node B is woken (a commit of its own) while the lease is live: it leaves the document.
      const b = countingFolder()
      const nb = node(connect(), 'node-b', c.now, b.folder)
      nb.committed('p1')
      await nb.drain()
      expect(b.folded()).toBe(0)
      expect(await observed(db)).toEqual(midway)

      // The lease expires: B's next look takes it over and derives the rest from the cursors.
      c.advance(LEASE_MS + 1)
      nb.committed('p1')
      await nb.drain()
      expect(b.folded()).toBe(rows.length - 2 * BATCH)
      expect(await observed(db)).toEqual(expected)

      // A was only stalled, not dead: when it wakes, its batch meets the fence and writes nothing.
      a.resume()
      await na.drain()
      expect(await observed(db)).toEqual(expected)
      // And from then on it may run the document again: nothing is behind, nothing is written twice.
      na.committed('p1')
      await na.drain()
      expect(await observed(db)).toEqual(expected)
    },
  )
})
