import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { addComment, createTask, getBoardView, initBoard, updateTask } from '@taskflow/board'
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { activityConsumer } from '../activity/activity.consumer.js'
import { createCommittedLog } from '../derivation/committed-log.js'
import { DerivationEngine } from '../derivation/engine.js'
import { createLogger } from '../logger.js'
import { projectionConsumer } from '../reports/projection.consumer.js'
import { sameState, startSyncServer, storedDoc, tempDir, waitFor } from '../sync/sync-test-utils.js'
import { UpdateLog } from '../sync/update-log.js'
import { client, collabWorld, json, ok, relayed } from '../test/collab.js'
import { createTestSchema, type TestSchema } from '../test/postgres.js'
import { queryStored } from '../test/stored.js'
import { CopyError, copySqliteToPostgres } from './copy-to-postgres.js'
import { type Db, openDatabase } from './database.js'
import { migrateToLatest } from './migrate.js'

const schemas: TestSchema[] = []
afterEach(async () => {
  for (const s of schemas.splice(0)) await s.drop()
})

// Runs in the sqlite project only: its source is a SQLite server's file by construction.
describe('migrate-to-postgres (issue 17)', () => {
  it('copies a SQLite database with a board, comments and history into Postgres; a server on the copy serves the same board to the same session', async () => {
    // Small compaction threshold and history on: the copy holds a snapshot, a log after it,
    // and checkpoints.
    const env = { TASKFLOW_COMPACT_UPDATES: '40', TASKFLOW_HISTORY_DAYS: '30' }
    const w = await collabWorld({ env, deps: { checkpointUpdates: 10 } })
    const ann = await client(w.server, w.projectId, w.ann)
    const bob = await client(w.server, w.projectId, w.bob)
    const ctx = (userId: string) => ({ now: w.clock.now(), userId })
    const columnId = getBoardView(ann.doc).columns[0]!.id
    const ids: string[] = []
    for (let i = 0; i < 60; i++) {
      const { id } = ok(createTask(ann.doc, { columnId, title: `Task ${i}` }, ctx(w.ann.id)))
      ok(addComment(ann.doc, id, { body: `Comment on ${i}` }, ctx(w.ann.id)))
      ids.push(id)
      w.clock.advance(60_000)
    }
    await relayed(ann.doc, bob.doc)
    for (const id of ids.filter((_, i) => i % 3 === 0)) {
      ok(updateTask(bob.doc, id, { title: 'Renamed by bob' }, ctx(w.bob.id)))
    }
    await relayed(bob.doc, ann.doc)
    await w.server.idle()
    // How many rows the last compaction left after its snapshot depends on how the edits were
    // batched on the wire; one more edit (below the threshold) always leaves a log tail.
    ok(updateTask(ann.doc, ids[1]!, { title: 'After the last compaction' }, ctx(w.ann.id)))
    // Stored means everything Ann has (the edit may still be on the wire when the log
    // already holds older rows; `idle` does not wait for bytes not yet received).
    await waitFor(
      () => sameState(storedDoc(w.server.dbFile, w.projectId).doc, ann.doc),
      'every edit of the session stored',
    )
    await w.server.idle()
    const before = storedDoc(w.server.dbFile, w.projectId)
    expect(before.hasSnapshot).toBe(true)
    expect(before.logRows).toBeGreaterThan(0)
    const board = await json(w.server, 'GET', `/projects/${w.projectId}/board`, w.ann.token)
    expect(board.status).toBe(200)
    ann.destroy()
    bob.destroy()
    await w.server.close()

    const target = await createTestSchema()
    schemas.push(target)
    const source = openDatabase(w.server.dbFile).db
    try {
      const report = await copySqliteToPostgres(source, target.db())
      expect(report.documents).toBeGreaterThanOrEqual(1)
      const rowsOf = (name: string) => report.tables.find((t) => t.name === name)?.rows ?? 0
      // Every log row (history keeps those a snapshot already merged).
      const [{ n }] = queryStored<{ n: number }>(
        w.server.dbFile,
        'SELECT count(*) AS n FROM doc_updates',
      ) as [{ n: number }]
      expect(rowsOf('doc_updates')).toBe(n)
      expect(n).toBeGreaterThan(before.logRows)
      expect(rowsOf('doc_checkpoints')).toBeGreaterThan(0)
      expect(rowsOf('sessions')).toBeGreaterThanOrEqual(4)
      expect(report.skipped.some((t) => t.startsWith('search_fts'))).toBe(true)

      // A second copy into the same database is refused: it is no longer empty.
      await expect(copySqliteToPostgres(source, target.db())).rejects.toThrow(CopyError)
      await expect(copySqliteToPostgres(source, target.db())).rejects.toThrow(/not empty/)
    } finally {
      await source.destroy()
    }

    // The same session token reads the same board from a server on Postgres, and the stored
    // document is the same; new edits get ids after the copied ones.
    const pg = await startSyncServer({
      env: { ...env, TASKFLOW_DATABASE_URL: target.url, TASKFLOW_INSECURE_OPEN: '0' },
      deps: { now: w.clock.now },
    })
    const again = await json(pg, 'GET', `/projects/${w.projectId}/board`, w.ann.token)
    expect(again.status).toBe(200)
    expect(again.body).toEqual(board.body)
    expect(sameState(storedDoc(target.url, w.projectId).doc, before.doc)).toBe(true)
    const cat = await client(pg, w.projectId, w.cat)
    ok(createTask(cat.doc, { columnId, title: 'After the move' }, ctx(w.cat.id)))
    await waitFor(
      () => taskCount(storedDoc(target.url, w.projectId).doc) === 61,
      'new task stored on Postgres',
    )
    // Closed before this file's afterEach drops the schema (it runs before the helpers'
    // cleanups): the server's compaction and derivations must not race DROP SCHEMA.
    cat.destroy()
    await pg.close()
  })
})

const SERVER_ROOT = fileURLToPath(new URL('../..', import.meta.url))
const T0 = Date.UTC(2026, 11, 6, 9)

describe('migrate-to-postgres with a 10,000-task board (issue 17, Done when)', () => {
  it('the command copies a 10k board with comments, history and its projection; every document and table is the same on Postgres', async () => {
    const dir = tempDir()
    const file = join(dir, 'taskflow.db')
    const source = openDatabase(file).db
    try {
      await migrateToLatest(source)
      await seedBigBoard(source, 'big', 10_000)
      // Its projection and activity, as a server would have derived them (thousands of rows).
      const engine = new DerivationEngine({
        db: source,
        log: createCommittedLog(source),
        consumers: [projectionConsumer(), activityConsumer()],
        logger: createLogger('silent'),
        now: () => T0,
        debounceMs: 1,
        batchRows: 500,
      })
      engine.committed('big')
      await engine.drain()
      await engine.stop()
    } finally {
      await source.destroy()
    }

    const target = await createTestSchema()
    schemas.push(target)
    // The real command, as docs/operations.md tells an operator to run it.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/db/migrate-to-postgres.cli.ts'],
      {
        cwd: SERVER_ROOT,
        env: { ...process.env, TASKFLOW_DB: file, TASKFLOW_DATABASE_URL: target.url },
      },
    )
    expect(stdout).toMatch(/documents identical/)

    const a = openDatabase(file).db
    try {
      const b = target.db()
      for (const table of [
        'doc_updates',
        'doc_checkpoints',
        'report_tasks',
        'activity',
        'derivation_cursors',
      ]) {
        const count = async (db: Db) =>
          Number(
            (await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(db))
              .rows[0]!.n,
          )
        expect({ table, rows: await count(b) }).toEqual({ table, rows: await count(a) })
      }
      expect(
        Number(
          (await sql<{ n: number }>`SELECT count(*) AS n FROM report_tasks`.execute(b)).rows[0]!.n,
        ),
      ).toBe(10_000)
    } finally {
      await a.destroy()
    }
    // Loaded as a server loads it (the stored state is too big for storedDoc's child process).
    const copied = await loadedDoc(target.db(), 'big')
    const original = openDatabase(file).db
    try {
      expect(sameState(copied, await loadedDoc(original, 'big'))).toBe(true)
    } finally {
      await original.destroy()
    }
    expect(taskCount(copied)).toBe(10_000)
    const tasks = getBoardView(copied).columns.flatMap((c) => c.tasks)
    expect(tasks.filter((t) => t.title.startsWith('Renamed')).length).toBe(100)
  }, 600_000)
})

/**
 * A project whose board holds `n` tasks, one comment on every tenth: stored as the server
 * would after a compaction with history on: a snapshot of the board (also kept as a full
 * checkpoint) and a log of 100 later edits by another user.
 */
async function seedBigBoard(db: Db, id: string, n: number): Promise<void> {
  await db
    .insertInto('projects')
    .values({
      id,
      name: 'Big',
      description: '',
      created_by: null,
      archived_at: null,
      created_at: T0,
      updated_at: T0,
    })
    .execute()
  const doc = new Y.Doc()
  initBoard(doc, { name: 'Big' })
  const columnId = getBoardView(doc).columns[0]!.id
  const ids: string[] = []
  const ctx = { now: T0, userId: 'ann' }
  for (let i = 0; i < n; i++) {
    const { id: taskId } = ok(createTask(doc, { columnId, title: `Task ${i}` }, ctx))
    if (i % 10 === 0) ok(addComment(doc, taskId, { body: `Comment on ${i}` }, ctx))
    ids.push(taskId)
  }
  const snapshot = Y.encodeStateAsUpdate(doc)
  const base = 1
  await db
    .insertInto('doc_snapshots')
    .values({ doc_name: id, upto_seq: base, state: snapshot, created_at: T0 })
    .execute()
  await db
    .insertInto('doc_checkpoints')
    .values({
      doc_name: id,
      upto_seq: base,
      upto_at: T0,
      state: snapshot,
      created_at: T0,
      kind: 'full',
      state_vector: Y.encodeStateVector(doc),
    })
    .execute()
  // The last edits, one log row each, by bob.
  const rows = []
  for (let k = 0; k < 100; k++) {
    const sv = Y.encodeStateVector(doc)
    ok(updateTask(doc, ids[k * 97]!, { title: `Renamed ${k}` }, { now: T0, userId: 'bob' }))
    rows.push({
      doc_name: id,
      seq: base + k + 1,
      update: Y.encodeStateAsUpdate(doc, sv),
      user_id: 'bob',
      created_at: T0 + k,
    })
  }
  await db.insertInto('doc_updates').values(rows).execute()
  doc.destroy()
}

async function loadedDoc(db: Db, docName: string): Promise<Y.Doc> {
  const stored = await new UpdateLog(db, () => 0).load(docName)
  const doc = new Y.Doc()
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
  for (const u of stored.updates) Y.applyUpdate(doc, u.update)
  return doc
}

function taskCount(doc: Parameters<typeof getBoardView>[0]): number {
  return getBoardView(doc).columns.reduce((n, c) => n + c.tasks.length, 0)
}
