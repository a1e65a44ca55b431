import { describe, expect, it } from 'vitest'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { RoomAwareness } from './awareness.js'

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
    expect(room.apply(first, anon('conn-b'))).toMatchObject({ ok: true, relay: null, renewed: false })
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

  it('rejects malformed updates and non-JSON states (SPEC 5.2)', () => {
    const room = new RoomAwareness<string>()
    expect(room.apply(new Uint8Array([5, 1]), anon('c')).ok).toBe(false)
    expect(room.apply(new Uint8Array([1, 1, 1, 3, 0x7b, 0x7b, 0x7b]), anon('c')).ok).toBe(false)
  })
})
