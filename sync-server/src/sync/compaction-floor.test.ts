import { createTask, getBoardView, initBoard, moveTask } from '@taskflow/board'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { activityConsumer } from '../activity/activity.consumer.js'
import type { Db } from '../db/database.js'
import { createCommittedLog, type LogEntry } from '../derivation/committed-log.js'
import { setCursor } from '../derivation/cursors.repository.js'
import { DerivationEngine } from '../derivation/engine.js'
import { createLogger } from '../logger.js'
import { projectionConsumer } from '../reports/projection.consumer.js'
import { BACKENDS, createTestDatabase } from '../test/backends.js'
import { seedLogRows, seedProject } from '../test/seed-log.js'
import { UpdateLog } from './update-log.js'

/**
 * Compaction never merges or drops log rows a derivation consumer has not read (issue 17):
 * it compacts only up to the lowest cursor, so a consumer that is behind — on this node or
 * another — still derives each of those updates, attributed to its sender.
 */
const T0 = Date.UTC(2026, 11, 6, 9)
const drops: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const d of drops.splice(0)) await d()
})

/** A board log: tasks created and moved to Done by ann, one row per edit; and the live doc. */
function boardLog(tasks: number) {
  const doc = new Y.Doc()
  const rows: LogEntry[] = []
  const log = (f: () => void) => {
    const sv = Y.encodeStateVector(doc)
    f()
    const seq = rows.length + 1
    rows.push({ seq, update: Y.encodeStateAsUpdate(doc, sv), userId: 'ann', createdAt: T0 + seq })
  }
  log(() => initBoard(doc, { name: 'P' }))
  const [todo, , done] = getBoardView(doc).columns.map((c) => c.id) as [string, string, string]
  for (let i = 0; i < tasks; i++) {
    let id = ''
    log(() => {
      const r = createTask(doc, { columnId: todo, title: `T${i}` }, { userId: 'ann' })
      if (r.ok) id = r.value.id
    })
    log(() => moveTask(doc, id, { columnId: done }, { userId: 'ann' }))
  }
  return { doc, rows }
}

async function store(db: Db, docName: string, rows: LogEntry[], project: boolean) {
  if (project) await seedProject(db, docName, T0)
  await seedLogRows(db, docName, rows)
}

async function stored(db: Db, docName: string) {
  const snap = await db
    .selectFrom('doc_snapshots')
    .select(['upto_seq', 'state'])
    .where('doc_name', '=', docName)
    .executeTakeFirst()
  const seqs = (
    await db
      .selectFrom('doc_updates')
      .select('seq')
      .where('doc_name', '=', docName)
      .orderBy('seq')
      .execute()
  ).map((r) => r.seq)
  return { snapshotSeq: snap?.upto_seq ?? 0, state: snap?.state, seqs }
}

const docOf = (...updates: Uint8Array[]) => {
  const d = new Y.Doc()
  for (const u of updates) Y.applyUpdate(d, u)
  return d
}
const tasksOf = (d: Y.Doc) => getBoardView(d).columns.map((c) => c.tasks.map((t) => t.title))

describe.each(BACKENDS)('compaction and derivation cursors on %s', (dialect) => {
  it('compacts a board only up to its lowest cursor, and a lagging consumer still derives every update after it', async () => {
    const t = await createTestDatabase(dialect)
    drops.push(t.drop)
    const { db } = t
    const { doc, rows } = boardLog(10)
    const last = rows.length
    await store(db, 'p1', rows, true)
    // Reports have read 15 rows, activity only 6 (it is behind: another node, a crash).
    await setCursor(db, 'projection', 'p1', 15)
    await setCursor(db, 'activity', 'p1', 6)
    const log = new UpdateLog(db, () => T0 + 1000, {}, { days: 0, checkpointUpdates: 1 })
    // The room asks to compact everything it holds.
    await log.compact('p1', Y.encodeStateAsUpdate(doc), last)
    const s = await stored(db, 'p1')
    expect(s.snapshotSeq).toBe(6)
    expect(s.seqs).toEqual(rows.slice(6).map((r) => r.seq))
    // The snapshot is exactly the first 6 updates.
    expect(tasksOf(docOf(s.state!))).toEqual(
      tasksOf(docOf(...rows.slice(0, 6).map((r) => r.update))),
    )
    // What a room loads is still the whole board.
    const loaded = await log.load('p1')
    expect(tasksOf(docOf(loaded.snapshot!, ...loaded.updates.map((u) => u.update)))).toEqual(
      tasksOf(doc),
    )

    // Activity (a fresh engine: its fold is built from the stored snapshot) derives the
    // updates after its cursor one by one: 2 tasks created and moved there, by ann.
    const engine = new DerivationEngine({
      db,
      log: createCommittedLog(db),
      consumers: [projectionConsumer(), activityConsumer()],
      logger: createLogger('silent'),
      now: () => T0 + 2000,
      debounceMs: 1,
    })
    engine.committed('p1')
    await engine.drain()
    await engine.stop()
    const entries = await db
      .selectFrom('activity')
      .select(['seq', 'kind'])
      .where('seq', '>', 6)
      .orderBy('seq')
      .execute()
    expect(entries.length).toBeGreaterThanOrEqual(last - 6)
    expect(new Set(entries.map((e) => e.seq))).toEqual(new Set(rows.slice(6).map((r) => r.seq)))

    // Every cursor at the end now: what the engine calls after a run finishes the compaction.
    await log.compactToFloor('p1')
    expect(await stored(db, 'p1')).toMatchObject({ snapshotSeq: last, seqs: [] })
  })

  it('leaves the log of a project nothing has derived yet, and compacts a document no consumer reads', async () => {
    const t = await createTestDatabase(dialect)
    drops.push(t.drop)
    const { db } = t
    const { doc, rows } = boardLog(3)
    await store(db, 'p-new', rows, true)
    await store(db, 'scratch', rows, false)
    const log = new UpdateLog(db, () => T0, {}, { days: 0, checkpointUpdates: 1 })
    await log.compact('p-new', Y.encodeStateAsUpdate(doc), rows.length)
    await log.compact('scratch', Y.encodeStateAsUpdate(doc), rows.length)
    expect(await stored(db, 'p-new')).toMatchObject({
      snapshotSeq: 0,
      seqs: rows.map((r) => r.seq),
    })
    expect(await stored(db, 'scratch')).toMatchObject({ snapshotSeq: rows.length, seqs: [] })
  })
})
