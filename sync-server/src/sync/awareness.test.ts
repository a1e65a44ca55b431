import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import type { WebSocket } from 'ws'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { json, signUp } from '../test/collab.js'
import { RoomAwareness } from './awareness.js'
import { encodeAwareness } from './protocol.js'
import {
  closeOf,
  connectProvider,
  rawSocket,
  receivedOn,
  startSyncServer,
  waitFor,
  waitSynced,
} from './sync-test-utils.js'

/** A real y-protocols client awareness, so the bytes are exactly what providers send. */
function clientAwareness(name: string): Awareness {
  const a = new Awareness(new Y.Doc())
  a.setLocalState({ user: { name } })
  return a
}
const encode = (a: Awareness) => encodeAwarenessUpdate(a, [a.clientID])
/** An anonymous (insecure-open) sender: no stamp. */
const anon = (owner: string) => ({ owner, userId: null })

describe('room awareness (SPEC 4)', () => {
  it('relays news, drops stale echoes without relaying them (SPEC 4.3)', () => {
    const room = new RoomAwareness<string>()
    const ada = clientAwareness('Ada')
    const first = encode(ada)
    expect(room.apply(first, anon('conn-a'))).toMatchObject({ ok: true, relay: 'raw' })
    // Another client echoing what it received: same clock, nothing new.
    expect(room.apply(first, anon('conn-b'))).toMatchObject({
      ok: true,
      relay: null,
      renewed: false,
    })
    ada.setLocalStateField('user', { name: 'Ada L.' })
    expect(room.apply(encode(ada), anon('conn-a'))).toMatchObject({ ok: true, relay: 'raw' })
  })

  it('batches renewals, and the batch renews the state in other clients (SPEC 4.4)', () => {
    const room = new RoomAwareness<string>()
    const ada = clientAwareness('Ada')
    room.apply(encode(ada), anon('conn-a'))
    const observer = new Awareness(new Y.Doc())
    applyAwarenessUpdate(observer, room.encodeAll()!, 'server')
    const clockBefore = observer.meta.get(ada.clientID)!.clock

    ada.setLocalState(ada.getLocalState()) // what y-protocols does every 15 s
    expect(room.apply(encode(ada), anon('conn-a'))).toMatchObject({
      ok: true,
      relay: null,
      renewed: true,
    })
    const batch = room.takeRenewals()
    expect(batch).not.toBeNull()
    applyAwarenessUpdate(observer, batch!, 'server')
    expect(observer.meta.get(ada.clientID)!.clock).toBeGreaterThan(clockBefore)
    expect(room.takeRenewals()).toBeNull()
  })

  it('removes every state a connection introduced when it leaves (SPEC 4.2)', () => {
    const room = new RoomAwareness<string>()
    const ada = clientAwareness('Ada')
    room.apply(encode(ada), anon('conn-a'))
    const observer = new Awareness(new Y.Doc())
    applyAwarenessUpdate(observer, room.encodeAll()!, 'server')
    expect(observer.getStates().has(ada.clientID)).toBe(true)
    applyAwarenessUpdate(observer, room.removeOwner('conn-a')!, 'server')
    expect(observer.getStates().has(ada.clientID)).toBe(false)
    expect(room.encodeAll()).toBeNull()
  })

  it('keeps at most the limit of client ids per connection and drops states over the size limit (SPEC 4.7)', () => {
    const room = new RoomAwareness<string>({ maxClientsPerConnection: 2, maxStateBytes: 64 })
    const entries = [
      { clientId: 1, clock: 1, state: JSON.stringify({ pad: 'x'.repeat(64) }) },
      { clientId: 2, clock: 1, state: '{}' },
      { clientId: 3, clock: 1, state: '{}' },
      { clientId: 4, clock: 1, state: '{}' },
    ]
    expect(room.apply(awarenessUpdate(entries), anon('c'))).toMatchObject({
      ok: true,
      overLimit: 2,
    })
    const observer = new Awareness(new Y.Doc())
    applyAwarenessUpdate(observer, room.encodeAll()!, 'server')
    observer.setLocalState(null)
    expect([...observer.getStates().keys()].sort()).toEqual([2, 3])
    // Removing one frees its place.
    room.apply(awarenessUpdate([{ clientId: 2, clock: 2, state: 'null' }]), anon('c'))
    expect(room.apply(awarenessUpdate([entries[3]!]), anon('c'))).toMatchObject({ overLimit: 0 })
  })

  it('forgets removed client ids beyond the newest 4096, and never remembers removals of unknown ones (SPEC 4.2)', () => {
    const room = new RoomAwareness<string>()
    for (let conn = 0; conn < 2000; conn++) {
      const ids = [1, 2, 3, 4].map((k) => conn * 4 + k)
      room.apply(
        awarenessUpdate(ids.map((clientId) => ({ clientId, clock: 1, state: '{}' }))),
        anon(`c${conn}`),
      )
      room.removeOwner(`c${conn}`)
    }
    expect(room.trackedClients).toBe(4096)
    const nulls = Array.from({ length: 10_000 }, (_, i) => ({
      clientId: 100_000 + i,
      clock: 1,
      state: 'null',
    }))
    expect(room.apply(awarenessUpdate(nulls), anon('x'))).toMatchObject({ ok: true, relay: null })
    expect(room.trackedClients).toBe(4096)
    expect(room.encodeAll()).toBeNull()
  })

  it('rejects malformed updates and non-JSON states (SPEC 5.2)', () => {
    const room = new RoomAwareness<string>()
    expect(room.apply(new Uint8Array([5, 1]), anon('c')).ok).toBe(false)
    expect(room.apply(new Uint8Array([1, 1, 1, 3, 0x7b, 0x7b, 0x7b]), anon('c')).ok).toBe(false)
  })
})

describe('presence limits, holders and stamps over real sockets (SPEC 4)', () => {
  /** Ann owns a project, Bob is a member, Vic a viewer; a real server with the real authorize. */
  async function setup(env: Record<string, string> = {}) {
    const server = await startSyncServer({ env: { TASKFLOW_INSECURE_OPEN: '0', ...env } })
    const ann = await signUp(server, 'ann')
    const bob = await signUp(server, 'bob')
    const vic = await signUp(server, 'vic')
    const project = await json(server, 'POST', '/projects', ann.token, { name: 'Launch' })
    expect(project.status).toBe(201)
    const projectId = project.body.id as string
    for (const [email, role] of [
      ['bob@example.com', 'member'],
      ['vic@example.com', 'viewer'],
    ]) {
      const res = await json(server, 'POST', `/projects/${projectId}/members`, ann.token, {
        email,
        role,
      })
      expect(res.status).toBe(201)
    }
    /** A bare socket of `person` on the project, for sending what no provider would. */
    const raw = (person: { token: string }) =>
      rawSocket(server, `${projectId}?token=${encodeURIComponent(person.token)}`)
    return { server, ann, bob, vic, projectId, raw }
  }

  it('one connection cannot inflate presence: a joiner receives at most 4 of its states, none over 4 KiB, and none once it left (SPEC 4.7, 4.2)', async () => {
    const s = await setup()
    const ann = connectProvider(s.server, s.projectId, { token: s.ann.token })
    ann.awareness.setLocalStateField('user', { id: s.ann.id, name: 'ann' })
    await waitSynced(ann)

    const attacker = await s.raw(s.bob)
    const entries = [{ clientId: 1, clock: 1, state: JSON.stringify({ pad: 'x'.repeat(5000) }) }]
    for (let i = 2; i <= 20_000; i++) entries.push({ clientId: i, clock: 1, state: '{"a":1}' })
    attacker.send(encodeAwareness(awarenessUpdate(entries)))
    // The answer to a query comes after the flood was handled (one socket, in order).
    attacker.send(new Uint8Array([3]))
    await waitFor(() => awarenessMessages(attacker).length > 0, 'attacker query answered')

    const joiner = await s.raw(s.vic)
    await waitFor(() => awarenessMessages(joiner).length > 0, 'joiner got presence')
    const [joined] = awarenessMessages(joiner)
    expect([...joined!.states.keys()].sort((a, b) => a - b)).toEqual(
      [2, 3, 4, 5, ann.awareness.clientID].sort((a, b) => a - b),
    )
    // Five small states: under 1 KiB (the flood was ~200 KB before SPEC 4.7).
    expect(joined!.bytes).toBeLessThan(1024)

    // Relayed once the client ids they hold are bound durably (SPEC 7.7): ann sees them…
    await waitFor(() => ann.awareness.getStates().size === 5, 'ann sees the attacker states')
    attacker.close()
    // …and sees them go.
    await waitFor(() => ann.awareness.getStates().size === 1, 'attacker states removed for ann')
    const later = await s.raw(s.vic)
    await waitFor(() => awarenessMessages(later).length > 0, 'later joiner got presence')
    expect([...awarenessMessages(later)[0]!.states.keys()]).toEqual([ann.awareness.clientID])
  })

  it('a connection cannot change or remove presence that another user holds (SPEC 4.6)', async () => {
    const s = await setup()
    const ann = connectProvider(s.server, s.projectId, { token: s.ann.token })
    const vic = connectProvider(s.server, s.projectId, { token: s.vic.token })
    ann.awareness.setLocalState({ user: { id: s.ann.id, name: 'ann' }, taskId: 't1' })
    await Promise.all([waitSynced(ann), waitSynced(vic)])
    const annId = ann.awareness.clientID
    await waitFor(() => vic.awareness.getStates().get(annId)?.taskId === 't1', 'vic sees ann')
    const annClock = vic.awareness.meta.get(annId)!.clock

    const attacker = await s.raw(s.bob)
    attacker.send(
      encodeAwareness(
        awarenessUpdate([
          { clientId: annId, clock: annClock + 10, state: '{"user":{"name":"hijacked"}}' },
        ]),
      ),
    )
    attacker.send(
      encodeAwareness(awarenessUpdate([{ clientId: annId, clock: annClock + 20, state: 'null' }])),
    )
    // Relays reach vic in the order the server handled them: the marker comes last.
    attacker.send(encodeAwareness(awarenessUpdate([{ clientId: 777, clock: 1, state: '{}' }])))
    await waitFor(() => vic.awareness.getStates().has(777), 'vic sees the marker')

    expect(vic.awareness.getStates().get(annId)).toEqual({
      user: { id: s.ann.id, name: 'ann' },
      taskId: 't1',
    })
    expect(vic.awareness.meta.get(annId)!.clock).toBe(annClock)
  })

  it("a user's new connection takes over that user's own presence from one not yet closed (SPEC 4.6)", async () => {
    const s = await setup()
    const vic = connectProvider(s.server, s.projectId, { token: s.vic.token })
    await waitSynced(vic)
    const old = await s.raw(s.bob)
    old.send(encodeAwareness(awarenessUpdate([{ clientId: 4242, clock: 1, state: '{"v":1}' }])))
    await waitFor(() => vic.awareness.getStates().get(4242)?.v === 1, 'vic sees v1')

    const fresh = await s.raw(s.bob)
    fresh.send(encodeAwareness(awarenessUpdate([{ clientId: 4242, clock: 2, state: '{"v":2}' }])))
    await waitFor(() => vic.awareness.getStates().get(4242)?.v === 2, 'vic sees v2')
    // The old socket no longer holds it: its close removes nothing.
    old.close()
    await waitFor(() => old.readyState === old.CLOSED, 'old closed')
    fresh.send(encodeAwareness(awarenessUpdate([{ clientId: 4242, clock: 3, state: '{"v":3}' }])))
    await waitFor(() => vic.awareness.getStates().get(4242)?.v === 3, 'vic sees v3')
  })

  it('presence names the user the server authenticated, whatever the client claims (SPEC 4.8)', async () => {
    const s = await setup()
    const vic = connectProvider(s.server, s.projectId, { token: s.vic.token })
    const bob = connectProvider(s.server, s.projectId, { token: s.bob.token })
    await Promise.all([waitSynced(vic), waitSynced(bob)])
    bob.awareness.setLocalState({ user: { id: s.ann.id, name: 'ann', color: '#f43f5e' } })
    const bobId = bob.awareness.clientID
    await waitFor(() => vic.awareness.getStates().get(bobId)?.user?.name === 'ann', 'relayed')
    expect(vic.awareness.getStates().get(bobId)!.user).toEqual({
      id: s.bob.id,
      name: 'ann',
      color: '#f43f5e',
    })

    // A state without `user` gets one; a joiner's first answer carries the stamp too.
    bob.awareness.setLocalState({ taskId: null })
    await waitFor(() => vic.awareness.getStates().get(bobId)?.user?.name === undefined, 'changed')
    expect(vic.awareness.getStates().get(bobId)).toEqual({ taskId: null, user: { id: s.bob.id } })
    const joiner = await s.raw(s.vic)
    await waitFor(() => awarenessMessages(joiner).length > 0, 'joiner got presence')
    const joined = awarenessMessages(joiner)[0]!.states
    expect(joined.get(bobId)).toEqual({ taskId: null, user: { id: s.bob.id } })
  })

  it('states that are not JSON objects close the socket with 4400 (SPEC 4.3)', async () => {
    const s = await setup()
    const ws = await s.raw(s.bob)
    const closed = closeOf(ws)
    ws.send(encodeAwareness(awarenessUpdate([{ clientId: 9, clock: 1, state: '[1,2]' }])))
    expect((await closed).code).toBe(4400)
  })
})

function awarenessUpdate(entries: { clientId: number; clock: number; state: string }[]) {
  const enc = encoding.createEncoder()
  encoding.writeVarUint(enc, entries.length)
  for (const e of entries) {
    encoding.writeVarUint(enc, e.clientId)
    encoding.writeVarUint(enc, e.clock)
    encoding.writeVarString(enc, e.state)
  }
  return encoding.toUint8Array(enc)
}

/** The awareness messages a raw socket received: their size and the states they carry. */
function awarenessMessages(ws: WebSocket): { bytes: number; states: Map<number, unknown> }[] {
  const out: { bytes: number; states: Map<number, unknown> }[] = []
  for (const m of receivedOn(ws)) {
    const d = decoding.createDecoder(m)
    if (decoding.readVarUint(d) !== 1) continue
    const u = decoding.createDecoder(decoding.readVarUint8Array(d))
    const states = new Map<number, unknown>()
    for (let n = decoding.readVarUint(u); n > 0; n--) {
      const clientId = decoding.readVarUint(u)
      decoding.readVarUint(u)
      states.set(clientId, JSON.parse(decoding.readVarString(u)))
    }
    out.push({ bytes: m.length, states })
  }
  return out
}
