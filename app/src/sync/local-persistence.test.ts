import 'fake-indexeddb/auto'
import { describe, expect, it, vi } from 'vitest'
import { IndexeddbPersistence } from 'y-indexeddb'
import * as Y from 'yjs'
import { COMPACT_AFTER_IDLE_MS, COMPACT_AT_ROWS, LocalPersistence } from './local-persistence'
import { countRows, openUpdatesDb } from './update-rows'

// No Worker in Node: the rows ops run in-thread (update-rows-client.ts), same code.
let dbCount = 0
const freshName = () => `local-persistence-test-${++dbCount}`

async function open(name: string, options = {}) {
  const doc = new Y.Doc()
  const persistence = new LocalPersistence(name, doc, options)
  await persistence.hydrate()
  return { doc, persistence, tasks: doc.getMap<string>('tasks') }
}

async function rowsOf(name: string): Promise<number> {
  const db = await openUpdatesDb(name)
  try {
    return await countRows(db)
  } finally {
    db.close()
  }
}

describe('LocalPersistence', () => {
  it('keeps edits across a reload', async () => {
    const name = freshName()
    const first = await open(name)
    first.tasks.set('a', 'Book bus')
    first.tasks.set('b', 'Pack lunch')
    await first.persistence.destroy()

    const reloaded = await open(name)
    expect(reloaded.tasks.toJSON()).toEqual({ a: 'Book bus', b: 'Pack lunch' })
    await reloaded.persistence.destroy()
  })

  it('adds no row just for opening the document', async () => {
    const name = freshName()
    const first = await open(name)
    first.tasks.set('a', 'Book bus')
    await first.persistence.destroy()
    const rows = await rowsOf(name)

    for (let i = 0; i < 3; i++) await (await open(name)).persistence.destroy()
    expect(await rowsOf(name)).toBe(rows)
  })

  it('applies the stored state without an update event to quiet listeners, then hears edits', async () => {
    const name = freshName()
    const first = await open(name)
    first.tasks.set('a', 'Book bus')
    await first.persistence.destroy()

    const doc = new Y.Doc()
    const provider = vi.fn()
    doc.on('update', provider)
    const persistence = new LocalPersistence(name, doc, { quietWhileLoading: [provider] })
    await persistence.hydrate()
    expect(doc.getMap('tasks').get('a')).toBe('Book bus')
    expect(provider).not.toHaveBeenCalled()

    doc.getMap('tasks').set('b', 'Pack lunch')
    expect(provider).toHaveBeenCalledTimes(1)
    await persistence.destroy()
  })

  it('stores what the document held before it was loaded', async () => {
    const name = freshName()
    const stored = await open(name)
    stored.tasks.set('a', 'Book bus')
    await stored.persistence.destroy()

    const doc = new Y.Doc()
    const persistence = new LocalPersistence(name, doc)
    doc.getMap<string>('tasks').set('early', 'made before the local copy was read')
    await persistence.hydrate()
    await persistence.destroy()

    const reloaded = await open(name)
    expect(reloaded.tasks.toJSON()).toEqual({
      a: 'Book bus',
      early: 'made before the local copy was read',
    })
    await reloaded.persistence.destroy()
  })

  it('compacts the rows a while after edits pass the threshold, losing none', async () => {
    const name = freshName()
    const { tasks, persistence } = await open(name)
    for (let i = 0; i < COMPACT_AT_ROWS + 10; i++) tasks.set(`t${i % 7}`, `edit ${i}`)
    const expected = tasks.toJSON()
    // Deadlines, not expectations of speed: generous so a loaded machine only waits longer.
    await vi.waitFor(async () => expect(await rowsOf(name)).toBe(COMPACT_AT_ROWS + 10), {
      timeout: 20_000,
      interval: 50,
    })

    await vi.waitFor(async () => expect(await rowsOf(name)).toBe(1), {
      timeout: COMPACT_AFTER_IDLE_MS + 20_000,
      interval: 100,
    })
    await persistence.destroy()
    const reloaded = await open(name)
    expect(reloaded.tasks.toJSON()).toEqual(expected)
    await reloaded.persistence.destroy()
  })

  it('reads a database y-indexeddb wrote, and y-indexeddb reads its edits', async () => {
    const name = freshName()
    const doc = new Y.Doc()
    const theirs = new IndexeddbPersistence(name, doc)
    await theirs.whenSynced
    doc.getMap('tasks').set('a', 'from y-indexeddb')
    await theirs.destroy()

    const ours = await open(name)
    expect(ours.tasks.toJSON()).toEqual({ a: 'from y-indexeddb' })
    ours.tasks.set('b', 'from the app')
    await ours.persistence.destroy()

    const back = new Y.Doc()
    const again = new IndexeddbPersistence(name, back)
    await again.whenSynced
    expect(back.getMap('tasks').toJSON()).toEqual({ a: 'from y-indexeddb', b: 'from the app' })
    await again.destroy()
  })
})
