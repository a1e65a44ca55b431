import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  connectProvider,
  contentOf,
  sameState,
  storedDoc,
  waitFor,
  waitSynced,
} from '../sync/sync-test-utils.js'
import { writeStored } from '../test/stored.js'
import type { SyncMessage } from './bus-messages.js'
import { startNodes } from './cluster-test-utils.js'

const NEVER = 3_600_000

describe('several nodes on one database (TASKFLOW_REDIS_URL)', () => {
  it('clients of one board on different nodes converge', async () => {
    const [a, b, c] = await startNodes(3)
    const providers = [a!, b!, c!].map((node) => connectProvider(node, 'board-1'))
    await Promise.all(providers.map((p) => waitSynced(p)))
    providers.forEach((p, i) => {
      for (let k = 0; k < 20; k++) p.doc.getMap('tasks').set(`n${i}-${k}`, k)
      p.doc.getText('notes').insert(0, `node ${i} `)
    })
    await waitFor(
      () => providers.every((p) => p.doc.getMap('tasks').size === 60),
      'every client has every task',
    )
    await waitFor(
      () => providers.every((p) => sameState(p.doc, providers[0]!.doc)),
      'clients converge',
    )
    // What the clients show is what the database holds, whichever node stored it.
    await a!.idle()
    expect(contentOf(storedDoc(a!.dbFile, 'board-1').doc)).toEqual(contentOf(providers[0]!.doc))
  })

  it('an update whose pub/sub message was lost is read from the database at the next one', async () => {
    let dropped = 0
    const drop = (m: SyncMessage) => m.kind === 'committed' && dropped++ === 0
    // No periodic catch-up: only the gap before the next message can bring the lost one.
    const [a, b] = await startNodes(2, {
      deps: (i) => ({ cluster: { catchUpMs: NEVER, dropIncoming: i === 1 ? drop : undefined } }),
    })
    const writer = connectProvider(a!, 'board-gap')
    const reader = connectProvider(b!, 'board-gap')
    await Promise.all([waitSynced(writer), waitSynced(reader)])
    writer.doc.getMap('tasks').set('first', 1)
    await waitFor(() => dropped === 1, 'the first message dropped')
    writer.doc.getMap('tasks').set('second', 2)
    await waitFor(() => reader.doc.getMap('tasks').get('second') === 2, 'second relayed')
    expect(reader.doc.getMap('tasks').get('first')).toBe(1)
    expect(dropped).toBeGreaterThan(1)
  })

  it('a lost last message is found by the periodic catch-up', async () => {
    const [a, b] = await startNodes(2, {
      deps: (i) => ({
        cluster: {
          catchUpMs: 50,
          dropIncoming: i === 1 ? (m) => m.kind === 'committed' : undefined,
        },
      }),
    })
    const writer = connectProvider(a!, 'board-tail')
    const reader = connectProvider(b!, 'board-tail')
    await Promise.all([waitSynced(writer), waitSynced(reader)])
    writer.doc.getText('notes').insert(0, 'only update')
    await waitFor(
      () => reader.doc.getText('notes').toString() === 'only update',
      'read from the database',
    )
  })

  it('presence crosses nodes and leaves with its socket', async () => {
    const [a, b] = await startNodes(2)
    const here = connectProvider(a!, 'board-presence')
    const there = connectProvider(b!, 'board-presence')
    await Promise.all([waitSynced(here), waitSynced(there)])
    here.awareness.setLocalStateField('user', { name: 'Ann' })
    const id = here.doc.clientID
    await waitFor(
      () => (there.awareness.getStates().get(id) as any)?.user?.name === 'Ann',
      'presence on the other node',
    )
    // A client joining the other node later sees it at once.
    const late = connectProvider(b!, 'board-presence')
    await waitSynced(late)
    await waitFor(
      () => (late.awareness.getStates().get(id) as any)?.user?.name === 'Ann',
      'presence for a late joiner',
    )
    here.destroy()
    await waitFor(() => !there.awareness.getStates().has(id), 'presence removed')
  })

  it('both nodes compacting one busy document lose nothing (history off: compaction drops rows)', async () => {
    const [a, b] = await startNodes(2, {
      env: { TASKFLOW_COMPACT_UPDATES: '10', TASKFLOW_HISTORY_DAYS: '0' },
    })
    const pa = connectProvider(a!, 'board-compact')
    const pb = connectProvider(b!, 'board-compact')
    await Promise.all([waitSynced(pa), waitSynced(pb)])
    for (let k = 0; k < 80; k++) {
      pa.doc.getMap('tasks').set(`a${k}`, k)
      pb.doc.getMap('tasks').set(`b${k}`, k)
      await new Promise((r) => setTimeout(r, 0))
    }
    await waitFor(
      () => pa.doc.getMap('tasks').size === 160 && pb.doc.getMap('tasks').size === 160,
      'relayed both ways',
    )
    await a!.idle()
    await b!.idle()
    const stored = storedDoc(a!.dbFile, 'board-compact')
    expect(stored.hasSnapshot).toBe(true)
    expect(stored.doc.getMap('tasks').size).toBe(160)
    // A client joining now (fresh answer from a compacted room) gets all of it too.
    const late = connectProvider(b!, 'board-compact')
    await waitSynced(late)
    expect(late.doc.getMap('tasks').size).toBe(160)
  })

  it('what two nodes stored loads as exactly what their clients show', async () => {
    const [a, b] = await startNodes(2)
    const pa = connectProvider(a!, 'board-store')
    const pb = connectProvider(b!, 'board-store')
    await Promise.all([waitSynced(pa), waitSynced(pb)])
    for (let k = 0; k < 50; k++) {
      pa.doc.getMap('tasks').set(`a${k}`, k)
      pb.doc.getMap('tasks').set(`b${k}`, k)
    }
    await waitFor(
      () => pa.doc.getMap('tasks').size === 100 && pb.doc.getMap('tasks').size === 100,
      'relayed',
    )
    await a!.idle()
    await b!.idle()
    const stored = storedDoc(a!.dbFile, 'board-store').doc
    expect(stored.getMap('tasks').size).toBe(100)
    const fresh = new Y.Doc()
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(pa.doc))
    expect(sameState(stored, fresh)).toBe(true)
  })
})

describe('compaction on the worker thread under the compaction lease (issue 18 perf)', () => {
  it('writes no snapshot while another node holds the lease, and all of it once the lease is free', async () => {
    const [a] = await startNodes(1, {
      env: { TASKFLOW_COMPACT_UPDATES: '10', TASKFLOW_HISTORY_DAYS: '0' },
    })
    // Another node is compacting this document (a lease that never expires).
    writeStored(a!.dbFile, 'INSERT INTO doc_leases VALUES (?, ?, ?)', [
      'board-lease',
      'other-node',
      Number.MAX_SAFE_INTEGER,
    ])
    const p = connectProvider(a!, 'board-lease')
    await waitSynced(p)
    for (let k = 0; k < 40; k++) p.doc.getMap('tasks').set(`t${k}`, k)
    await waitFor(
      () => storedDoc(a!.dbFile, 'board-lease').doc.getMap('tasks').size === 40,
      'stored',
    )
    await a!.idle()
    const during = storedDoc(a!.dbFile, 'board-lease')
    expect(during.hasSnapshot).toBe(false)
    expect(during.logRows).toBeGreaterThan(10)

    writeStored(a!.dbFile, 'DELETE FROM doc_leases WHERE doc_name = ?', ['board-lease'])
    for (let k = 40; k < 80; k++) p.doc.getMap('tasks').set(`t${k}`, k)
    await waitFor(
      () => storedDoc(a!.dbFile, 'board-lease').doc.getMap('tasks').size === 80,
      'stored',
    )
    await a!.idle()
    const after = storedDoc(a!.dbFile, 'board-lease')
    expect(after.hasSnapshot).toBe(true)
    expect(after.logRows).toBeLessThan(80)
    expect(contentOf(after.doc)).toEqual(contentOf(p.doc))
  })
})
