import { createTask, getBoardView, initBoard, moveTask, updateTask } from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Db } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { ok } from '../test/collab.js'
import { openTestStorage } from '../test/test-storage.js'
import type { LogRow, ReplayBase } from './history.repository.js'
import { HistoryIndex } from './history-index.js'
import {
  lastStep,
  latestVersions,
  readCursor,
  type StoredStep,
  type StoredVersion,
  stepsPage,
  versionsOf,
  writeIndex,
} from './history-index.repository.js'
import {
  type IndexPacking,
  stepsFromPieceJson,
  stepsPieceJson,
  versionsFromPieceJson,
  versionsPieceJson,
} from './history-index-packs.js'

const T0 = Date.UTC(2026, 8, 1, 8)
const MIN = 60_000
const ANN = 'user-ann-00000000-0000-0000-0000-0000000000a1'
const BOB = 'user-bob-00000000-0000-0000-0000-0000000000b2'
/** As plain rows before this change: never packed. */
const PLAIN: IndexPacking = { versions: 1e9, steps: 1e9, held: 0 }
const SMALL: IndexPacking = { versions: 4, steps: 3, held: 2 }

/**
 * A board's log: its creation (the base, seq 1), six tasks in one row, then edits by two
 * people, some within the merge windows (VERSION_MERGE_MS, STEP_MERGE_MS) and some an hour
 * apart, so versions are merged and steps extended, also after they were packed.
 */
function boardLog() {
  const doc = new Y.Doc()
  const rows: LogRow[] = []
  let captured: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => captured.push(u))
  let at = T0
  let user = ANN
  const row = () => {
    rows.push({ seq: rows.length + 1, update: Y.mergeUpdates(captured), userId: user, at })
    captured = []
  }
  const ctx = () => ({ now: at, userId: user })
  initBoard(doc, { name: 'Packed' }, ctx())
  row()
  const cols = getBoardView(doc).columns.map((c) => c.id)
  const tasks: string[] = []
  doc.transact(() => {
    for (let i = 0; i < 6; i++) {
      tasks.push(ok(createTask(doc, { columnId: cols[0]!, title: `Task ${i}` }, ctx())).id)
    }
  })
  row()
  for (let round = 0; round < 8; round++) {
    // Ann retitles task 0, then both edit other tasks within a minute (one step each, and
    // more versions than a piece holds), then Ann retitles task 0 again within two minutes:
    // her first title of the round is merged into the second, packed or not.
    at += 60 * MIN
    user = ANN
    updateTask(doc, tasks[0]!, { title: `Round ${round} draft` }, ctx())
    row()
    for (let i = 1; i < 6; i++) {
      at += 10_000
      user = i < 3 ? BOB : ANN
      updateTask(doc, tasks[i]!, { title: `Task ${i} round ${round}`, estimate: round }, ctx())
      row()
    }
    at += 10_000
    user = ANN
    updateTask(doc, tasks[0]!, { title: `Round ${round}` }, ctx())
    row()
    at += 30 * MIN
    user = BOB
    moveTask(
      doc,
      tasks[round % 6]!,
      { columnId: cols[(round + 1) % cols.length]!, index: 0 },
      ctx(),
    )
    row()
  }
  return { rows, tasks }
}

const BASE: ReplayBase = { kind: 'snapshot', seq: 1, at: T0 }
const BATCH = 5

/**
 * Derives `rows` into `doc` as the deriver does (batches of BATCH, each written), packed by
 * `packing(batch)`. `crashAfter`: batches after which the process "crashes": the derivation
 * in memory is lost, the next batch applied is never written, and the derivation resumes
 * from the stored cursor (history-deriver.ts openIndex), deriving those rows again.
 */
async function derive(
  db: Db,
  doc: string,
  rows: readonly LogRow[],
  packing: (batch: number) => IndexPacking,
  crashAfter: ReadonlySet<number> = new Set(),
): Promise<void> {
  let idx = new HistoryIndex(BASE, [rows[0]!.update], 1, null)
  await writeIndex(db, doc, idx.takeWrite(), 5, packing(0))
  let batch = 0
  while (idx.lastSeq < rows.length) {
    batch++
    for (const r of rows.slice(idx.lastSeq, idx.lastSeq + BATCH)) idx.apply(r)
    if (crashAfter.has(batch)) {
      idx.takeWrite() // lost with the process
      idx.destroy()
      const cursor = (await readCursor(db, doc))!
      idx = new HistoryIndex(
        BASE,
        rows.slice(0, cursor.lastSeq).map((r) => r.update),
        cursor.lastSeq,
        { latest: await latestVersions(db, doc), lastStep: await lastStep(db, doc) },
      )
      continue
    }
    await writeIndex(db, doc, idx.takeWrite(), 5, packing(batch))
  }
  idx.destroy()
}

/** Every reader's view of a document's index: each task's versions, the changes pages. */
async function readAll(db: Db, doc: string, tasks: readonly string[]) {
  const versions: Record<string, StoredVersion[]> = {}
  for (const t of tasks) versions[t] = await versionsOf(db, doc, t)
  const page = (q: Partial<Parameters<typeof stepsPage>[2]>) =>
    stepsPage(db, doc, { afterSeq: 0, from: 0, to: Number.MAX_SAFE_INTEGER, limit: 1000, ...q })
  const all = await page({})
  // Paged by 4 with the next cursor (the last step's toSeq), as the changes route does.
  const paged: StoredStep[] = []
  for (let afterSeq = 0; ; ) {
    const p = await page({ afterSeq, limit: 4 })
    paged.push(...p)
    if (p.length < 4) break
    afterSeq = p[p.length - 1]!.toSeq
  }
  const window = await page({ from: T0 + 3 * 60 * MIN, to: T0 + 6 * 60 * MIN })
  return { versions, all, paged, window }
}

async function counts(db: Db, doc: string) {
  const plain = await db
    .selectFrom('history_versions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('doc_name', '=', doc)
    .executeTakeFirstOrThrow()
  const pieces = await db
    .selectFrom('history_index_packs')
    .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('doc_name', '=', doc)
    .groupBy('kind')
    .execute()
  const of = (k: string) => Number(pieces.find((p) => p.kind === k)?.n ?? 0)
  return { plainVersions: Number(plain.n), versionPieces: of('versions'), stepPieces: of('steps') }
}

describe('packed task-history index (issue 18 storage)', () => {
  it('a piece stores each id once and reads back the versions and steps it was given', () => {
    const task = 'task-7f1c2a4e-0000-4000-8000-000000000001'
    const versions: StoredVersion[] = [
      { taskId: task, seq: 3, at: T0, userId: null, field: 'title', value: 'A', initial: true },
      { taskId: task, seq: 9, at: T0 + 1, userId: ANN, field: 'title', value: 'B', initial: false },
      {
        taskId: task,
        seq: 9,
        at: T0 + 1,
        userId: ANN,
        field: 'checklist',
        value: [{ id: 'c1', text: 'x', done: true }],
        initial: false,
      },
      {
        taskId: 'other',
        seq: 10,
        // A clock that went back (times are stored as differences).
        at: T0 - 5_000,
        userId: BOB,
        field: 'estimate',
        value: null,
        initial: false,
      },
    ]
    const vJson = versionsPieceJson(versions)
    expect(vJson.split(task).length - 1).toBe(1)
    expect(vJson.split(ANN).length - 1).toBe(1)
    expect(versionsFromPieceJson(vJson)).toEqual(versions)
    const steps: StoredStep[] = [
      {
        fromSeq: 9,
        toSeq: 10,
        startedAt: T0 + 1,
        at: T0 + 2,
        userId: ANN,
        tasks: new Map([
          [task, new Set(['title', 'checklist'])],
          ['other', new Set(['created'])],
        ]),
        columnIds: new Set(['col-1', 'col-2']),
        board: false,
      },
      {
        fromSeq: 11,
        toSeq: 11,
        startedAt: T0 - 5_000,
        at: T0 - 5_000,
        userId: null,
        tasks: new Map([[task, new Set(['other'])]]),
        columnIds: new Set(),
        board: true,
      },
    ]
    const sJson = stepsPieceJson(steps)
    expect(sJson.split(task).length - 1).toBe(1)
    expect(stepsFromPieceJson(sJson)).toEqual(steps)
  })

  it('reads the same history from pieces and plain rows as from plain rows alone, across piece boundaries, merges into packed versions and crashes', async () => {
    const { db } = await openTestStorage()
    await migrateToLatest(db)
    const { rows, tasks } = boardLog()

    await derive(db, 'plain', rows, () => PLAIN)
    const want = await readAll(db, 'plain', tasks)
    // The log merges versions and steps (what the packed reads must reproduce).
    const titles0 = want.versions[tasks[0]!]!.filter((v) => v.field === 'title')
    expect(titles0.map((v) => v.value)).toContain('Round 7')
    expect(titles0.map((v) => v.value)).not.toContain('Round 7 draft')
    expect(want.all.some((s) => s.toSeq > s.fromSeq)).toBe(true)
    expect(want.paged).toEqual(want.all)
    expect(want.window.length).toBeGreaterThan(0)
    expect(want.window.length).toBeLessThan(want.all.length)

    // Small pieces: the task's history spans pieces and the plain rows after them.
    await derive(db, 'small', rows, () => SMALL)
    expect(await readAll(db, 'small', tasks)).toEqual(want)
    const small = await counts(db, 'small')
    expect(small.versionPieces).toBeGreaterThan(10)
    expect(small.stepPieces).toBeGreaterThan(3)
    expect(small.plainVersions).toBeGreaterThanOrEqual(SMALL.held)
    expect(small.plainVersions).toBeLessThan(SMALL.held + SMALL.versions)
    const plainOf0 = await db
      .selectFrom('history_versions')
      .select('seq')
      .where('doc_name', '=', 'small')
      .where('task_id', '=', tasks[0]!)
      .execute()
    expect(plainOf0.length).toBeGreaterThan(0)

    // Nothing held back: every version is packed as soon as it is written, the newest step
    // too and then extended; versions are merged into pieces, and a derivation resumed
    // after a crash finds the newest versions and the last step in pieces only.
    // (Crashes between Ann's two titles of rounds 5 and 7, once the backlog of the six
    // tasks' creation is packed.)
    const none: IndexPacking = { versions: 3, steps: 2, held: 0 }
    await derive(db, 'none-held', rows, () => none, new Set([10, 13]))
    expect(await readAll(db, 'none-held', tasks)).toEqual(want)
    expect((await counts(db, 'none-held')).plainVersions).toBeLessThan(none.versions)

    // Crashes: batches derived again from the stored cursor, and writes whose packing did
    // not happen (rows left plain, as a database from before packing), packed later.
    await derive(
      db,
      'crashed',
      rows,
      (batch) => (batch % 3 === 1 ? PLAIN : SMALL),
      new Set([2, 3, 7, 11]),
    )
    expect(await readAll(db, 'crashed', tasks)).toEqual(want)
    expect((await counts(db, 'crashed')).versionPieces).toBeGreaterThan(10)
  }, 60_000)
})
