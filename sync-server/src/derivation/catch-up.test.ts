import { join } from 'node:path'
import { createTask, getBoardView, moveTask } from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import { startSyncServer, tempDir } from '../sync/sync-test-utils.js'
import { client, collabWorld, json, NO_COMPACTION, ok, relayed, signUp } from '../test/collab.js'
import { spawnServer } from '../test/spawn-server.js'

const summaryOf = async (server: { url: string }, projectId: string, token: string) => {
  const r = await json(server, 'GET', `/projects/${projectId}/reports/summary`, token)
  expect(r.status).toBe(200)
  return r.body
}

describe('derivations catch up without a room (SPEC 3.5)', () => {
  it('after kill -9 right after a burst, reports show the burst once restarted, though nobody opens the board', async () => {
    const dbFile = join(tempDir(), 'taskflow.db')
    // Derivations would be written a minute after the burst (the maximum): the kill comes first.
    const first = await spawnServer(dbFile, {
      TASKFLOW_INSECURE_OPEN: '0',
      TASKFLOW_PROJECTION_DEBOUNCE_MS: '60000',
    })
    const ann = await signUp(first, 'ann')
    const created = await json(first, 'POST', '/projects', ann.token, { name: 'Crash' })
    expect(created.status).toBe(201)
    const projectId: string = created.body.id
    const a = await client(first, projectId, ann)
    const b = await client(first, projectId, ann)
    const [todo, , done] = getBoardView(a.doc).columns.map((c) => c.id) as [string, string, string]
    const ids = Array.from(
      { length: 6 },
      (_, i) => ok(createTask(a.doc, { columnId: todo, title: `T${i}` }, { userId: ann.id })).id,
    )
    for (const id of ids.slice(0, 4))
      ok(moveTask(a.doc, id, { columnId: done }, { userId: ann.id }))
    await relayed(a.doc, b.doc) // committed: another client has seen it
    first.child.kill('SIGKILL')
    await new Promise((r) => first.child.once('exit', r))
    a.destroy()
    b.destroy()

    const again = await startSyncServer({
      dir: join(dbFile, '..'),
      env: { TASKFLOW_INSECURE_OPEN: '0' },
    })
    await again.idle()
    const summary = await summaryOf(again, projectId, ann.token)
    expect(summary.byCategory).toEqual({ todo: 2, in_progress: 0, done: 4 })
    expect(summary.byColumn.map((c: { count: number }) => c.count)).toEqual([2, 0, 4])
    // Each task's status changes were derived once: created into To do, four moved to Done.
    const flow = await json(again, 'GET', `/projects/${projectId}/reports/throughput`, ann.token)
    expect(flow.status).toBe(200)
    const completed = flow.body.buckets.reduce(
      (n: number, x: { completed: number }) => n + x.completed,
      0,
    )
    expect(completed).toBe(4)
  })

  it("a new project's summary lists its board's columns before anyone opens the board", async () => {
    const { server, ann } = await collabWorld()
    const created = await json(server, 'POST', '/projects', ann.token, { name: 'Fresh' })
    expect(created.status).toBe(201)
    await server.idle()
    const summary = await summaryOf(server, created.body.id, ann.token)
    expect(summary.byColumn.map((c: { name: string; count: number }) => [c.name, c.count])).toEqual(
      [
        ['To do', 0],
        ['In progress', 0],
        ['Done', 0],
      ],
    )
  })

  it('a board opened while the start-up catch-up runs records each status change once', async () => {
    // No compaction, as after a crash: the log keeps every update to replay one by one.
    const { server, clock, projectId, ann, bob } = await collabWorld({ deps: NO_COMPACTION })
    const a = await client(server, projectId, ann)
    const b = await client(server, projectId, bob)
    const [todo, , done] = getBoardView(a.doc).columns.map((c) => c.id) as [string, string, string]
    const id = ok(createTask(a.doc, { columnId: todo, title: 'Once' }, { userId: ann.id })).id
    ok(moveTask(a.doc, id, { columnId: done }, { userId: ann.id }))
    await relayed(a.doc, b.doc)
    a.destroy()
    b.destroy()
    // Graceful close writes the projection; forget it, as a crash before the write would.
    await server.close()
    const SQLite = (await import('better-sqlite3')).default
    const db = new SQLite(server.dbFile)
    db.prepare('DELETE FROM report_status_changes WHERE project_id = ?').run(projectId)
    db.prepare('DELETE FROM report_tasks WHERE project_id = ?').run(projectId)
    db.prepare(
      "UPDATE derivation_cursors SET seq = 0 WHERE consumer = 'projection' AND doc_name = ?",
    ).run(projectId)
    db.close()

    const { startCollabServer } = await import('../test/collab.js')
    const again = await startCollabServer(clock, { dir: server.dir, deps: NO_COMPACTION })
    // Opens the board at once: its room loads while the catch-up is queued or writing.
    const c = await client(again, projectId, ann)
    expect(getBoardView(c.doc).columns[2]!.tasks.map((t) => t.title)).toEqual(['Once'])
    await again.idle()
    const sqlite = new SQLite(again.dbFile, { readonly: true })
    const changes = sqlite
      .prepare(
        'SELECT to_category FROM report_status_changes WHERE project_id = ? AND task_id = ? ORDER BY id',
      )
      .all(projectId, id)
    sqlite.close()
    expect(changes).toEqual([{ to_category: 'todo' }, { to_category: 'done' }])
  })
})
