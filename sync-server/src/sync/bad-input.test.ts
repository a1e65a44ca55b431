import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import type { WebSocket } from 'ws'
import * as Y from 'yjs'
import { encodeAwareness, encodeSyncStep2, encodeUpdate } from './protocol.js'
import {
  closeOf,
  connectProvider,
  contentOf,
  rawSocket,
  receivedOn,
  type SyncServer,
  startSyncServer,
  storedDoc,
  waitFor,
  waitSynced,
} from './sync-test-utils.js'

const DOC = 'doc-bad'

/** A server with two healthy clients sharing some content, and the stored state before abuse. */
async function setup() {
  const server = await startSyncServer({ env: { TASKFLOW_MAX_MESSAGE_BYTES: '65536' } })
  const a = connectProvider(server, DOC)
  const b = connectProvider(server, DOC)
  await Promise.all([waitSynced(a), waitSynced(b)])
  a.doc.getMap('tasks').set('t1', 'first')
  await waitFor(() => b.doc.getMap('tasks').get('t1') === 'first', 'b has t1')
  return { server, a, b, before: contentOf(storedDoc(server.dbFile, DOC).doc) }
}

/** The healthy clients still relay to each other, and storage holds only their edits. */
async function expectUnharmed(ctx: Awaited<ReturnType<typeof setup>>, key: string): Promise<void> {
  ctx.a.doc.getMap('tasks').set(key, 'still works')
  await waitFor(() => ctx.b.doc.getMap('tasks').get(key) === 'still works', `b gets ${key}`)
  expect(ctx.a.wsconnected && ctx.b.wsconnected).toBe(true)
  const stored = contentOf(storedDoc(ctx.server.dbFile, DOC).doc) as { tasks: object }
  const before = ctx.before as { tasks: object }
  expect(stored).toEqual({ ...before, tasks: { ...before.tasks, [key]: 'still works' } })
  expect(contentOf(ctx.a.doc)).toEqual(contentOf(ctx.b.doc))
}

async function sendAndExpectClose(
  server: SyncServer,
  frame: Uint8Array | string,
): Promise<{ code: number; reason: string }> {
  const ws: WebSocket = await rawSocket(server, DOC)
  const closed = closeOf(ws)
  ws.send(frame)
  return closed
}

function seededBytes(seed: number, length: number): Uint8Array {
  let s = seed
  return new Uint8Array(length).map(() => {
    s = (s * 1103515245 + 12345) & 0x7fffffff
    return s & 0xff
  })
}

describe('bad input closes only the offending socket (SPEC 5)', () => {
  it('random bytes close with 4400 (SPEC 5.2)', async () => {
    const ctx = await setup()
    for (const seed of [1, 2, 3, 4, 5]) {
      const { code } = await sendAndExpectClose(ctx.server, seededBytes(seed, 10 + seed * 37))
      expect(code).toBe(4400)
    }
    await expectUnharmed(ctx, 'after-random')
  })

  it('a truncated update message closes with 4400 (SPEC 5.2)', async () => {
    const ctx = await setup()
    const other = new Y.Doc()
    other.getMap('tasks').set('evil', 'x'.repeat(100))
    const full = encodeUpdate(Y.encodeStateAsUpdate(other))
    const { code, reason } = await sendAndExpectClose(
      ctx.server,
      full.subarray(0, full.length - 10),
    )
    expect(code).toBe(4400)
    expect(reason).toMatch(/truncated/)
    await expectUnharmed(ctx, 'after-truncated')
  })

  it('unknown message types and sync steps close with 4400 (SPEC 5.2)', async () => {
    const ctx = await setup()
    // 2 is y-websocket's (unused) auth message; 7 was never assigned; [0, 9] is no sync step.
    for (const frame of [new Uint8Array([2, 0]), new Uint8Array([7]), new Uint8Array([0, 9, 0])]) {
      const { code, reason } = await sendAndExpectClose(ctx.server, frame)
      expect(code).toBe(4400)
      expect(reason).toMatch(/unknown/)
    }
    const text = await sendAndExpectClose(ctx.server, 'hello')
    expect(text.code).toBe(4400)
    await expectUnharmed(ctx, 'after-unknown')
  })

  it('a well-framed update with garbage content closes with 4400 and stores nothing (SPEC 5.3)', async () => {
    const ctx = await setup()
    for (const seed of [11, 12, 13, 14, 15, 16]) {
      const { code } = await sendAndExpectClose(ctx.server, encodeUpdate(seededBytes(seed, 40)))
      expect(code).toBe(4400)
    }
    await expectUnharmed(ctx, 'after-garbage-update')
  })

  it('an update whose dependencies the server lacks is neither stored nor relayed; the sender is asked to resync (SPEC 2.5)', async () => {
    const ctx = await setup()
    const forged = new Y.Doc()
    const updates: Uint8Array[] = []
    forged.on('update', (u: Uint8Array) => updates.push(u))
    forged.getText('notes').insert(0, 'abc')
    forged.getText('notes').insert(3, 'def')
    const ws = await rawSocket(ctx.server, DOC)
    const received = receivedOn(ws)
    await waitFor(() => received.length > 0, 'join answer')
    const before = received.length
    ws.send(encodeUpdate(updates[1]!))
    // The answer is a sync step 1 (type 0, step 0): "send me what I am missing".
    await waitFor(
      () => received.slice(before).some((m) => m[0] === 0 && m[1] === 0),
      'server asks for missing state',
    )
    expect(ws.readyState).toBe(ws.OPEN)
    await expectUnharmed(ctx, 'after-dangling')
    expect(ctx.b.doc.getText('notes').toString()).toBe('')
  })

  it('a Yjs update in the v2 encoding closes with 4400 and a reason, and stores nothing (SPEC 5.9)', async () => {
    const ctx = await setup()
    const other = new Y.Doc()
    other.getMap('tasks').set('v2', 'sneaky')
    other.getText('notes').insert(0, 'v2 text')
    const v2 = Y.encodeStateAsUpdateV2(other)
    for (const frame of [encodeUpdate(v2), encodeSyncStep2(v2)]) {
      const { code, reason } = await sendAndExpectClose(ctx.server, frame)
      expect(code).toBe(4400)
      expect(reason).toMatch(/v2/)
    }
    // A v2 update of deletions only (a v1 update with no structs starts with 0 as well).
    const deletion = new Y.Doc()
    Y.applyUpdate(deletion, Y.encodeStateAsUpdate(ctx.a.doc))
    deletion.getMap('tasks').delete('t1')
    const v2Deletion = Y.encodeStateAsUpdateV2(deletion, Y.encodeStateVector(ctx.a.doc))
    const closed = await sendAndExpectClose(ctx.server, encodeUpdate(v2Deletion))
    expect(closed.code).toBe(4400)
    await expectUnharmed(ctx, 'after-v2')
  })

  it('a v1 update of deletions only is applied and relayed (SPEC 5.9)', async () => {
    const ctx = await setup()
    ctx.a.doc.getMap('tasks').delete('t1')
    await waitFor(() => !ctx.b.doc.getMap('tasks').has('t1'), 'b sees the deletion')
    await waitFor(
      () => !storedDoc(ctx.server.dbFile, DOC).doc.getMap('tasks').has('t1'),
      'the deletion is stored',
    )
  })

  it('awareness whose state is not JSON closes with 4400 (SPEC 5.2)', async () => {
    const ctx = await setup()
    const enc = encoding.createEncoder()
    encoding.writeVarUint(enc, 1)
    encoding.writeVarUint(enc, 12345)
    encoding.writeVarUint(enc, 1)
    encoding.writeVarString(enc, '{not json')
    const { code } = await sendAndExpectClose(
      ctx.server,
      encodeAwareness(encoding.toUint8Array(enc)),
    )
    expect(code).toBe(4400)
    expect(ctx.b.awareness.getStates().has(12345)).toBe(false)
    await expectUnharmed(ctx, 'after-awareness')
  })

  it('a frame over TASKFLOW_MAX_MESSAGE_BYTES closes with 4413 (SPEC 5.1)', async () => {
    const ctx = await setup()
    const big = new Y.Doc()
    big.getMap('tasks').set('huge', 'x'.repeat(70_000))
    const { code, reason } = await sendAndExpectClose(
      ctx.server,
      encodeUpdate(Y.encodeStateAsUpdate(big)),
    )
    expect(code).toBe(4413)
    expect(reason).toMatch(/too large/)
    // Far over the limit too (ws cuts these before reading them).
    const huge = await sendAndExpectClose(ctx.server, new Uint8Array(1_000_000))
    expect(huge.code).toBe(4413)
    await expectUnharmed(ctx, 'after-oversized')
  })

  it('invalid document names close with 4404 (SPEC 5.4)', async () => {
    const server = await startSyncServer()
    for (const name of ['a'.repeat(129), 'bad%20name', 'semi;colon']) {
      const ws = await rawSocket(server, name)
      expect((await closeOf(ws)).code).toBe(4404)
    }
  })
})
