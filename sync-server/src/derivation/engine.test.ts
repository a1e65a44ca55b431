import { createTask, getBoardView, initBoard, moveTask, updateTask } from '@taskflow/board'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { activityConsumer } from '../activity/activity.consumer.js'
import { type Db, openDatabase } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { createLogger } from '../logger.js'
import { projectionConsumer } from '../reports/projection.consumer.js'
import { seedLogRows, seedProject } from '../test/seed-log.js'
import { createCommittedLog, type LogEntry } from './committed-log.js'
import type { DerivationConsumer } from './consumer.js'
import { DerivationEngine } from './engine.js'
import { InlineFolder } from './folder.js'
import { type DocumentLease, InProcessLease } from './lease.js'

const T0 = Date.UTC(2026, 11, 1, 9)
const open: Db[] = []
afterEach(async () => {
  vi.useRealTimers()
  for (const db of open.splice(0)) await db.destroy()
})

/** A board log of `n` single edits by ann, one row each. */
function boardLog(n: number): LogEntry[] {
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
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const at = i % 4
    if (at === 0 || ids.length === 0) {
      log(() => {
        const r = createTask(doc, { columnId: todo, title: `T${i}` }, { userId: 'ann' })
        if (r.ok) ids.push(r.value.id)
      })
    } else if (at === 1)
      log(() => moveTask(doc, ids.at(-1)!, { columnId: doing }, { userId: 'ann' }))
    else if (at === 2) log(() => moveTask(doc, ids.at(-1)!, { columnId: done }, { userId: 'ann' }))
    else log(() => updateTask(doc, ids.at(-1)!, { title: `renamed ${i}` }))
  }
  return rows
}

/** A project whose board log holds `rows` (default: 1 + `n` edits). */
async function world(n: number, rows = boardLog(n)) {
  const { db } = openDatabase(':memory:')
  open.push(db)
  await migrateToLatest(db)
  await seedProject(db, 'p1', T0)
  await seedLogRows(db, 'p1', rows)
  return { db, rows }
}

const logger = createLogger('silent')

function engine(
  db: Db,
  consumers: DerivationConsumer[],
  extra: { batchRows?: number; lease?: DocumentLease } = {},
) {
  return new DerivationEngine({
    db,
    log: createCommittedLog(db),
    consumers,
    logger,
    now: () => T0,
    debounceMs: 5,
    ...extra,
  })
}

/** What a reader of reports and activity sees. */
async function observed(db: Db) {
  const tasks = await db
    .selectFrom('report_tasks')
    .select(['task_id', 'title', 'category'])
    .orderBy('task_id')
    .execute()
  const changes = await db
    .selectFrom('report_status_changes')
    .select(['task_id', 'to_category', 'seq', 'user_id', 'at'])
    .orderBy('seq')
    .orderBy('task_id')
    .execute()
  const activity = await db
    .selectFrom('activity')
    .select(['task_id', 'kind', 'subject', 'seq', 'last_seq', 'data'])
    .orderBy('id')
    .execute()
  return { tasks, changes, activity }
}

describe('derivation engine (ARCHITECTURE rule 8)', () => {
  it('derives the log in batches, each status change and activity entry once, attributed to its update', async () => {
    const { db, rows } = await world(40)
    const e = engine(db, [projectionConsumer(), activityConsumer()], { batchRows: 7 })
    e.committed('p1')
    await e.drain()
    const seen = await observed(db)
    expect(seen.tasks).toHaveLength(10)
    expect(seen.tasks.every((t) => t.category === 'done' || t.category === 'todo')).toBe(true)
    // Created into To do, then In progress, then Done: three changes per moved task.
    expect(seen.changes.filter((c) => c.to_category === 'done')).toHaveLength(10)
    expect(seen.changes.every((c) => c.user_id === 'ann' && c.at === T0 + c.seq)).toBe(true)
    expect(Math.max(...seen.changes.map((c) => c.seq))).toBeLessThanOrEqual(rows.length)
    const cursors = await db
      .selectFrom('derivation_cursors')
      .selectAll()
      .orderBy('consumer')
      .execute()
    expect(cursors.map((c) => [c.consumer, c.seq])).toEqual([
      ['activity', rows.length],
      ['projection', rows.length],
    ])
  })

  it("gives the same result when a consumer's write fails in the middle of the log after another consumer's write of the same batch committed", async () => {
    const rows = boardLog(40)
    const clean = await world(40, rows)
    const e1 = engine(clean.db, [projectionConsumer(), activityConsumer()], { batchRows: 7 })
    e1.committed('p1')
    await e1.drain()
    const expected = await observed(clean.db)

    const { db } = await world(40, rows)
    // The activity write of the third batch fails once after writing (as a crash would leave
    // it: rolled back), after the projection of the same batch committed.
    let calls = 0
    const inner = activityConsumer()
    const flaky: DerivationConsumer = {
      ...inner,
      async write(trx, batch, after) {
        const did = await inner.write(trx, batch, after)
        if (++calls === 3) throw new Error('crash in the middle of the batch')
        return did
      },
    }
    const e2 = engine(db, [projectionConsumer(), flaky], { batchRows: 7 })
    e2.committed('p1')
    await e2.drain()
    expect(calls).toBeGreaterThan(3)
    expect(await observed(db)).toEqual(expected)

    // A new process (a restart) with nothing new to do changes nothing.
    const e3 = engine(db, [projectionConsumer(), activityConsumer()], { batchRows: 7 })
    await e3.catchUp()
    await e3.drain()
    expect(await observed(db)).toEqual(expected)
  })

  it('folds commits that arrive during a run in the next debounce period, all in one batch', async () => {
    // The engine's timers are faked; its turns between batches (setImmediate) stay real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const rows = boardLog(12)
    const { db } = await world(0, rows.slice(0, 3))
    const commit = async (batch: LogEntry[]) => {
      await seedLogRows(db, 'p1', batch)
      e.committed('p1', batch)
    }
    // Each advance of the fold is recorded; one of them can be held until released.
    const advanced: number[][] = []
    let hold: Promise<void> | null = null
    const inline = new InlineFolder()
    const folder = {
      init: inline.init.bind(inline),
      drop: inline.drop.bind(inline),
      close: inline.close.bind(inline),
      advance: async (key: string, batch: readonly LogEntry[]) => {
        advanced.push(batch.map((r) => r.seq))
        if (hold) await hold
        return inline.advance(key, batch)
      },
    }
    // A run ends when it gives its lease back.
    const inner = new InProcessLease()
    let runEnded = () => {}
    const lease: DocumentLease = {
      acquire: async (name) => {
        const h = await inner.acquire(name)
        return (
          h && {
            held: h.held,
            confirm: h.confirm,
            release: async () => {
              await h.release()
              runEnded()
            },
          }
        )
      },
    }
    const ended = () => new Promise<void>((resolve) => (runEnded = resolve))
    const e = new DerivationEngine({
      db,
      log: createCommittedLog(db),
      consumers: [projectionConsumer()],
      logger,
      now: () => T0,
      debounceMs: 500,
      lease,
      folder,
    })
    // First run: the fold is built from the log.
    let end = ended()
    e.committed('p1')
    await vi.advanceTimersByTimeAsync(500)
    await end
    advanced.length = 0

    // Second run: rows 4–6; rows 7–13 are committed while it folds.
    let release = () => {}
    hold = new Promise<void>((resolve) => (release = resolve))
    end = ended()
    await commit(rows.slice(3, 6))
    await vi.advanceTimersByTimeAsync(500)
    expect(advanced).toEqual([[4, 5, 6]])
    await commit(rows.slice(6, 9))
    await commit(rows.slice(9))
    hold = null
    release()
    await end
    // The run stopped at what it was woken for; the rest waits for the next period.
    expect(advanced).toEqual([[4, 5, 6]])
    end = ended()
    await vi.advanceTimersByTimeAsync(500)
    await end
    expect(advanced).toEqual([
      [4, 5, 6],
      [7, 8, 9, 10, 11, 12, 13],
    ])
    const cursor = await db
      .selectFrom('derivation_cursors')
      .select('seq')
      .where('consumer', '=', 'projection')
      .executeTakeFirstOrThrow()
    expect(cursor.seq).toBe(13)
    await e.stop()
  })

  it('leaves a document to the node holding its lease', async () => {
    const { db } = await world(8)
    const nobody: DocumentLease = { acquire: async () => null }
    const e = engine(db, [projectionConsumer()], { lease: nobody })
    e.committed('p1')
    await e.drain()
    expect((await observed(db)).tasks).toEqual([])
    const mine = engine(db, [projectionConsumer()])
    mine.committed('p1')
    await mine.drain()
    expect((await observed(db)).tasks).toHaveLength(2)
  })
})
