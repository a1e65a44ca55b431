import { createTask, getBoardView, initBoard } from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import { spawnServer } from '../test/spawn-server.js'
import {
  connectProvider,
  contentOf,
  databaseIn,
  sameState,
  startSyncServer,
  storedDoc,
  tempDir,
  waitFor,
  waitSynced,
} from './sync-test-utils.js'

describe('durability (SPEC 3)', () => {
  it('a board survives a graceful restart (SPEC 3.3, 6.2)', async () => {
    const dir = tempDir()
    const first = await startSyncServer({ dir })
    const a = connectProvider(first, 'board-restart')
    await waitSynced(a)
    initBoard(a.doc, { name: 'Roadmap' })
    const todo = getBoardView(a.doc).columns[0]!
    for (let i = 0; i < 20; i++) createTask(a.doc, { columnId: todo.id, title: `task ${i}` })
    const b = connectProvider(first, 'board-restart')
    await waitFor(() => getBoardView(b.doc).columns[0]?.tasks.length === 20, 'b has 20 tasks')
    const closeCodes: number[] = []
    b.on('connection-close', (e: { code: number } | null) => {
      if (e) closeCodes.push(e.code)
    })
    await first.close()
    // Providers are told "restarting" (1012) and will reconnect by themselves.
    await waitFor(() => closeCodes.length > 0, 'b sees the close')
    expect(closeCodes[0]).toBe(1012)
    a.destroy()
    b.destroy()

    const second = await startSyncServer({ dir })
    const fresh = connectProvider(second, 'board-restart')
    await waitSynced(fresh)
    const view = getBoardView(fresh.doc)
    expect(view.name).toBe('Roadmap')
    expect(view.columns[0]!.tasks.map((t) => t.title)).toEqual(
      Array.from({ length: 20 }, (_, i) => `task ${i}`),
    )
  })

  it('every update a peer has seen survives kill -9 of the server (SPEC 3.1, 3.2)', async () => {
    const dbFile = await databaseIn(tempDir())
    const first = await spawnServer(dbFile)
    const a = connectProvider(first, 'doc-kill')
    const b = connectProvider(first, 'doc-kill')
    await Promise.all([waitSynced(a), waitSynced(b)])
    const N = 300
    const tasks = a.doc.getMap<number>('tasks')
    const text = a.doc.getText('notes')
    for (let i = 0; i < N; i++) {
      // Separate transactions: one update message each, as from a user typing.
      tasks.set(`t${i}`, i)
      text.insert(text.length, `${i % 10}`)
    }
    await waitFor(() => b.doc.getMap('tasks').size === N, 'b observed the whole burst')
    const seen = contentOf(b.doc)
    first.child.kill('SIGKILL')
    await new Promise((r) => first.child.once('exit', r))
    a.destroy()
    b.destroy()

    const second = await spawnServer(dbFile)
    const fresh = connectProvider(second, 'doc-kill')
    await waitSynced(fresh)
    expect(fresh.doc.getMap('tasks').size).toBe(N)
    expect(contentOf(fresh.doc)).toEqual(seen)
  })
})

describe('compaction (SPEC 3.4)', () => {
  it('keeps the document identical while the log shrinks', async () => {
    const server = await startSyncServer({ env: { TASKFLOW_COMPACT_UPDATES: '50' } })
    const a = connectProvider(server, 'doc-compact')
    const b = connectProvider(server, 'doc-compact')
    await Promise.all([waitSynced(a), waitSynced(b)])
    const tasks = a.doc.getMap<string>('tasks')
    for (let i = 0; i < 230; i++) {
      tasks.set(`t${i % 40}`, `v${i}`) // overwrites: compaction can drop superseded values
      if (i % 7 === 0) a.doc.getText('notes').insert(0, 'x')
    }
    await waitFor(() => b.doc.getMap('tasks').get('t29') === 'v229', 'b has the last write')
    // Compaction is encoded off the relay path: wait until none is in flight.
    await server.idle()

    const stored = storedDoc(server.dbFile, 'doc-compact')
    expect(stored.hasSnapshot).toBe(true)
    expect(stored.logRows).toBeLessThanOrEqual(50)
    expect(sameState(stored.doc, a.doc)).toBe(true)
    expect(contentOf(stored.doc)).toEqual(contentOf(a.doc))

    const fresh = connectProvider(server, 'doc-compact')
    await waitSynced(fresh)
    expect(sameState(fresh.doc, a.doc)).toBe(true)
  })

  it('a crash in the middle of compaction loses nothing', async () => {
    const dir = tempDir()
    let crashes = 0
    const crashing = await startSyncServer({
      dir,
      env: { TASKFLOW_COMPACT_UPDATES: '20' },
      deps: {
        compactionHooks: {
          afterSnapshotWrite: () => {
            crashes++
            throw new Error('simulated crash between snapshot write and log truncation')
          },
        },
      },
    })
    const a = connectProvider(crashing, 'doc-crash')
    const b = connectProvider(crashing, 'doc-crash')
    await Promise.all([waitSynced(a), waitSynced(b)])
    for (let i = 0; i < 80; i++) a.doc.getMap('tasks').set(`t${i}`, i)
    await waitFor(() => b.doc.getMap('tasks').size === 80, 'b has all 80')
    await crashing.idle()
    expect(crashes).toBeGreaterThan(0)

    const stored = storedDoc(crashing.dbFile, 'doc-crash')
    expect(stored.hasSnapshot).toBe(false) // the failed transaction left no half snapshot
    // Every row is still there (a client's sync reply may add a duplicate row, never remove one).
    expect(stored.logRows).toBeGreaterThanOrEqual(80)
    expect(sameState(stored.doc, a.doc)).toBe(true)
    a.destroy()
    b.destroy()
    await crashing.close()

    // A healthy server on the same data compacts it and still serves every update.
    const healthy = await startSyncServer({ dir, env: { TASKFLOW_COMPACT_UPDATES: '20' } })
    const c = connectProvider(healthy, 'doc-crash')
    await waitSynced(c)
    expect(c.doc.getMap('tasks').size).toBe(80)
    c.doc.getMap('tasks').set('after', 1)
    const d = connectProvider(healthy, 'doc-crash')
    await waitFor(() => d.doc.getMap('tasks').size === 81, 'd has 81')
    await healthy.idle()
    const after = storedDoc(healthy.dbFile, 'doc-crash')
    expect(after.hasSnapshot).toBe(true)
    expect(after.logRows).toBeLessThan(20)
    expect(sameState(after.doc, c.doc)).toBe(true)
  })
})
