import { createTask, getBoardView, initBoard } from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { activityConsumer } from '../activity/activity.consumer.js'
import type { Db } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { createLogger } from '../logger.js'
import { projectionConsumer } from '../reports/projection.consumer.js'
import { seedLogRows, seedProject } from '../test/seed-log.js'
import { openTestStorage } from '../test/test-storage.js'
import { createCommittedLog, type LogEntry } from './committed-log.js'
import type { DerivationConsumer, SeqItem } from './consumer.js'
import { derivationFloor } from './cursors.repository.js'
import { DerivationEngine } from './engine.js'
import { type DocumentLease, InProcessLease } from './lease.js'

/**
 * Issue 17, first projection of a big board: the events of one logged update that created
 * TASKS tasks are written in parts of PART (each its own transaction, the cursor recording
 * how far it got inside the seq). Whatever stops the writing between parts — a crash, a
 * lease taken over — every activity entry and status change exists exactly once after
 * another engine (a restart, another node) goes on, and no consumer is handed an item twice.
 */
const T0 = Date.UTC(2026, 11, 6, 9)
const TASKS = 500
const PART = 60
const logger = createLogger('silent')

/** Row 1 sets the board up; row 2 creates TASKS tasks across its columns, in one update. */
function bigLog(): LogEntry[] {
  const doc = new Y.Doc()
  initBoard(doc, { name: 'P' })
  const rows: LogEntry[] = [
    { seq: 1, update: Y.encodeStateAsUpdate(doc), userId: 'ann', createdAt: T0 + 1 },
  ]
  const sv = Y.encodeStateVector(doc)
  const columns = getBoardView(doc).columns.map((c) => c.id)
  doc.transact(() => {
    for (let i = 0; i < TASKS; i++) {
      const r = createTask(
        doc,
        { columnId: columns[i % columns.length]!, title: `T${i}` },
        { userId: 'ann' },
      )
      if (!r.ok) throw new Error('createTask failed')
    }
  })
  rows.push({ seq: 2, update: Y.encodeStateAsUpdate(doc, sv), userId: 'ann', createdAt: T0 + 2 })
  return rows
}

async function world(rows: readonly LogEntry[]): Promise<Db> {
  const { db } = await openTestStorage()
  await migrateToLatest(db)
  await seedProject(db, 'p1', T0)
  await seedLogRows(db, 'p1', rows)
  return db
}

function engine(
  db: Db,
  consumers: DerivationConsumer[],
  lease?: DocumentLease,
  now: () => number = () => T0,
) {
  return new DerivationEngine({
    db,
    log: createCommittedLog(db),
    consumers,
    logger,
    now,
    debounceMs: 1,
    partItems: PART,
    sliceMs: 10,
    ...(lease ? { lease } : {}),
  })
}

/**
 * `c`, recording the items each parts write was handed (one list per call); from call
 * `failFrom` on, the write throws after writing (a crash: the transaction rolls back).
 */
function watched(c: DerivationConsumer, failFrom = Number.POSITIVE_INFINITY) {
  const calls: string[][] = []
  const parts = c.parts!
  const consumer: DerivationConsumer = {
    ...c,
    parts: {
      of: (batch) => parts.of(batch),
      async write(trx, docName, items: readonly SeqItem[]) {
        calls.push(items.map((i) => JSON.stringify(i)))
        const did = await parts.write(trx, docName, items)
        if (calls.length >= failFrom) throw new Error('crash between two parts')
        return did
      },
    },
  }
  return { consumer, calls }
}

/** What readers see: every activity entry and status change, and the cursors. */
async function observed(db: Db) {
  const activity = await db
    .selectFrom('activity')
    .select(['task_id', 'kind', 'subject', 'seq', 'user_id', 'data'])
    .orderBy('task_id')
    .orderBy('kind')
    .execute()
  const changes = await db
    .selectFrom('report_status_changes')
    .select(['task_id', 'to_column_id', 'to_category', 'seq', 'user_id'])
    .orderBy('task_id')
    .execute()
  const tasks = await db.selectFrom('report_tasks').select('task_id').orderBy('task_id').execute()
  const cursors = await db
    .selectFrom('derivation_cursors')
    .select(['consumer', 'seq', 'part_seq', 'part_count'])
    .orderBy('consumer')
    .execute()
  return { activity, changes, tasks, cursors }
}

/** What one engine derives from `rows` with nothing in its way, and the items it handed. */
async function reference(rows: readonly LogEntry[]) {
  const db = await world(rows)
  const activity = watched(activityConsumer())
  const projection = watched(projectionConsumer())
  const e = engine(db, [activity.consumer, projection.consumer])
  e.committed('p1')
  await e.drain()
  await e.stop()
  return {
    seen: await observed(db),
    handed: { activity: activity.calls.flat(), projection: projection.calls.flat() },
  }
}

const sorted = (xs: string[]) => [...xs].sort()

describe('derivation parts: one big update written in parts, each effect exactly once', () => {
  it.each(['activity', 'projection'] as const)(
    'a crash between two parts of the %s consumer: after a restart each entry and status change exists once, and no item is handed twice',
    async (crashing) => {
      const rows = bigLog()
      const ref = await reference(rows)
      expect(ref.seen.activity.filter((a) => a.kind === 'task_created')).toHaveLength(TASKS)
      expect(ref.seen.changes).toHaveLength(TASKS)
      expect(ref.seen.cursors).toEqual([
        { consumer: 'activity', seq: 2, part_seq: null, part_count: 0 },
        { consumer: 'projection', seq: 2, part_seq: null, part_count: 0 },
      ])

      const db = await world(rows)
      // The crashing consumer runs first; its fourth part fails, and so does every later one
      // (the engine's own retry included): the process is as good as dead after three parts.
      const a = watched(crashing === 'activity' ? activityConsumer() : projectionConsumer(), 4)
      const before = engine(db, [a.consumer])
      before.committed('p1')
      await before.drain()
      await before.stop()
      expect(a.calls.length).toBeGreaterThanOrEqual(4)
      const midway = await observed(db)
      // Three parts are written and the cursor says so: no whole seq yet, 3 × PART items of seq 2.
      expect(midway.cursors).toEqual([
        { consumer: crashing, seq: -1, part_seq: 2, part_count: 3 * PART },
      ])
      expect(crashing === 'activity' ? midway.activity : midway.changes).toHaveLength(3 * PART)
      // Nothing may be merged into a snapshot while a consumer has not read seq 1 whole.
      expect(await derivationFloor(db, 'p1')).toBe(0)

      // A restart: new consumers, a new fold, catch-up from the cursors.
      const activity = watched(activityConsumer())
      const projection = watched(projectionConsumer())
      const after = engine(db, [activity.consumer, projection.consumer])
      await after.catchUp()
      await after.drain()
      await after.stop()
      expect(await observed(db)).toEqual(ref.seen)

      const committedBefore = a.calls.slice(0, 3).flat()
      const handed = {
        activity: [...(crashing === 'activity' ? committedBefore : []), ...activity.calls.flat()],
        projection: [
          ...(crashing === 'projection' ? committedBefore : []),
          ...projection.calls.flat(),
        ],
      }
      expect(sorted(handed.activity)).toEqual(sorted(ref.handed.activity))
      expect(sorted(handed.projection)).toEqual(sorted(ref.handed.projection))
    },
  )

  it('parts that take longer than the slice get smaller, and every entry still exists once', async () => {
    const rows = bigLog()
    const ref = await reference(rows)
    const db = await world(rows)
    // A clock that moves 20 ms each time it is read: every part "takes" longer than 10 ms.
    let t = T0
    const slow = () => (t += 20)
    const a = watched(activityConsumer())
    const e = engine(db, [a.consumer, projectionConsumer()], undefined, slow)
    e.committed('p1')
    await e.drain()
    await e.stop()
    const sizes = a.calls.map((c) => c.length)
    expect(sizes[0]).toBe(PART)
    expect(sizes[1]).toBeLessThan(PART)
    expect(Math.max(...sizes.slice(1))).toBeLessThan(PART)
    expect(sorted(a.calls.flat())).toEqual(sorted(ref.handed.activity))
    expect(await observed(db)).toEqual(ref.seen)
  })

  it('a node whose lease is taken over between two parts writes no more; the node that takes over goes on from the last part', async () => {
    const rows = bigLog()
    const ref = await reference(rows)
    const db = await world(rows)
    // Node A's lease fences its fourth transaction (another node took the document over).
    let confirms = 0
    const fenced: DocumentLease = {
      acquire: async () => ({
        held: () => true,
        confirm: async () => ++confirms <= 3,
        release: async () => {},
      }),
    }
    const a = watched(activityConsumer())
    const nodeA = engine(db, [a.consumer, projectionConsumer()], fenced)
    nodeA.committed('p1')
    await nodeA.drain()
    await nodeA.stop()
    // The fourth transaction met the fence before writing anything.
    expect(a.calls).toHaveLength(3)
    expect((await observed(db)).cursors).toEqual([
      { consumer: 'activity', seq: -1, part_seq: 2, part_count: 3 * PART },
    ])

    const b = watched(activityConsumer())
    const nodeB = engine(db, [b.consumer, projectionConsumer()], new InProcessLease())
    await nodeB.catchUp()
    await nodeB.drain()
    await nodeB.stop()
    expect(await observed(db)).toEqual(ref.seen)
    expect(sorted([...a.calls.slice(0, 3).flat(), ...b.calls.flat()])).toEqual(
      sorted(ref.handed.activity),
    )
  })
})
