import { addComment, createTask, getBoardView, updateTask } from '@taskflow/board'
import { afterEach, describe, expect, it } from 'vitest'
import { sameState, startSyncServer, storedDoc, waitFor } from '../sync/sync-test-utils.js'
import { client, collabWorld, json, ok, relayed } from '../test/collab.js'
import { createTestSchema, type TestSchema } from '../test/postgres.js'
import { queryStored } from '../test/stored.js'
import { CopyError, copySqliteToPostgres } from './copy-to-postgres.js'
import { openDatabase } from './database.js'

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

function taskCount(doc: Parameters<typeof getBoardView>[0]): number {
  return getBoardView(doc).columns.reduce((n, c) => n + c.tasks.length, 0)
}
