import 'fake-indexeddb/auto'
import { describe, expect, it, vi } from 'vitest'
import { IndexeddbPersistence } from 'y-indexeddb'
import * as Y from 'yjs'
import {
  appendRow,
  compactRows,
  countRows,
  loadRows,
  openUpdatesDb,
  readRows,
  replaceRows,
  runRowsOp,
} from './update-rows'

let dbCount = 0
const freshName = () => `update-rows-test-${++dbCount}`

/** A board-ish document whose every transaction is captured as a stored row would be. */
function editor() {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  const tasks = doc.getMap<string>('tasks')
  return { doc, updates, tasks, take: () => updates.splice(0) }
}

/** What a fresh document holds after applying every stored row. */
async function tasksStoredIn(db: IDBDatabase): Promise<Record<string, string>> {
  const { update } = await loadRows(db)
  const doc = new Y.Doc()
  if (update) Y.applyUpdate(doc, update)
  return doc.getMap<string>('tasks').toJSON()
}

describe('compaction of stored rows', () => {
  it('keeps a row the page stores after the compaction read the others', async () => {
    const db = await openUpdatesDb(freshName())
    const e = editor()
    for (const title of ['a', 'b', 'c']) e.tasks.set(title, `task ${title}`)
    for (const u of e.take()) await appendRow(db, u)

    const read = await readRows(db)
    // The page keeps typing while the worker merges what it read.
    e.tasks.set('d', 'typed during compaction')
    for (const u of e.take()) await appendRow(db, u)
    const left = await replaceRows(db, Y.mergeUpdates(read.updates), read.lastKey as number)

    expect(left).toBe(2)
    expect(await tasksStoredIn(db)).toEqual({
      a: 'task a',
      b: 'task b',
      c: 'task c',
      d: 'typed during compaction',
    })
    db.close()
  })

  it('leaves every row as it was when the compaction does not commit (tab closed)', async () => {
    const db = await openUpdatesDb(freshName())
    const e = editor()
    for (let i = 0; i < 5; i++) e.tasks.set(`t${i}`, `task ${i}`)
    for (const u of e.take()) await appendRow(db, u)
    const before = await readRows(db)

    // The browser aborts a transaction that has not committed when its tab goes away.
    const open = db.transaction.bind(db)
    const spy = vi.spyOn(db, 'transaction').mockImplementation((...args) => {
      const tx = open(...(args as Parameters<typeof open>))
      if (args[1] === 'readwrite') queueMicrotask(() => tx.abort())
      return tx
    })
    await expect(
      replaceRows(db, Y.mergeUpdates(before.updates), before.lastKey as number),
    ).rejects.toBeTruthy()
    spy.mockRestore()

    expect(await readRows(db)).toEqual(before)
    db.close()
  })

  it('deletes nothing when the merged row cannot be stored', async () => {
    const db = await openUpdatesDb(freshName())
    const e = editor()
    for (let i = 0; i < 3; i++) e.tasks.set(`t${i}`, `task ${i}`)
    for (const u of e.take()) await appendRow(db, u)
    const before = await readRows(db)

    // A value IndexedDB cannot clone makes add() throw inside the transaction.
    const unstorable = { toString: () => 'x' } as unknown as Uint8Array
    await expect(replaceRows(db, unstorable, before.lastKey as number)).rejects.toBeTruthy()

    expect(await readRows(db)).toEqual(before)
    db.close()
  })

  it('merges many rows into one that holds the same document, and a later one merges it again', async () => {
    const db = await openUpdatesDb(freshName())
    const e = editor()
    for (let i = 0; i < 50; i++) e.tasks.set(`t${i % 10}`, `edit ${i}`)
    for (const u of e.take()) await appendRow(db, u)
    const expected = e.tasks.toJSON()

    expect(await compactRows(db)).toBe(1)
    expect(await tasksStoredIn(db)).toEqual(expected)

    e.tasks.set('late', 'after the first compaction')
    for (const u of e.take()) await appendRow(db, u)
    expect(await countRows(db)).toBe(2)
    expect(await compactRows(db)).toBe(1)
    expect(await tasksStoredIn(db)).toEqual({ ...expected, late: 'after the first compaction' })
    db.close()
  })

  it('writes a database that y-indexeddb itself opens, and reads one it wrote', async () => {
    const name = freshName()
    const db = await openUpdatesDb(name)
    const e = editor()
    for (let i = 0; i < 20; i++) e.tasks.set(`t${i}`, `task ${i}`)
    for (const u of e.take()) await appendRow(db, u)
    await compactRows(db)
    db.close()

    const doc = new Y.Doc()
    const theirs = new IndexeddbPersistence(name, doc)
    await theirs.whenSynced
    expect(doc.getMap('tasks').toJSON()).toEqual(e.tasks.toJSON())
    doc.getMap('tasks').set('by-y-indexeddb', 'stored by y-indexeddb')
    await theirs.destroy()

    const again = await openUpdatesDb(name)
    expect(await tasksStoredIn(again)).toEqual({
      ...e.tasks.toJSON(),
      'by-y-indexeddb': 'stored by y-indexeddb',
    })
    again.close()
  })
})

describe('the worker ops', () => {
  it('never create a database (one deleted at sign-out stays deleted)', async () => {
    const name = freshName()
    expect(await runRowsOp('load', name)).toEqual({ update: null, rows: 0 })
    expect(await runRowsOp('compact', name)).toBe(0)
    const names = (await indexedDB.databases()).map((d) => d.name)
    expect(names).not.toContain(name)
  })

  it('load the whole stored document, merged', async () => {
    const name = freshName()
    const db = await openUpdatesDb(name)
    const e = editor()
    for (let i = 0; i < 5; i++) e.tasks.set(`t${i}`, `task ${i}`)
    for (const u of e.take()) await appendRow(db, u)
    db.close()

    const loaded = (await runRowsOp('load', name)) as { update: Uint8Array; rows: number }
    expect(loaded.rows).toBe(5)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, loaded.update)
    expect(doc.getMap('tasks').toJSON()).toEqual(e.tasks.toJSON())
  })
})
