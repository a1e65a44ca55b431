import { describe, expect, it } from 'vitest'
import { encodeUpdate, ownCopy, parseMessage } from './protocol.js'

describe('ownCopy', () => {
  it('keeps a parsed update in memory of its own, not in the receive buffer it arrived in', () => {
    // As ws hands over a frame: a Buffer view into a larger chunk read from the socket.
    const chunk = Buffer.alloc(64 * 1024)
    const frame = encodeUpdate(new Uint8Array([1, 2, 3, 4]))
    chunk.set(frame, 100)
    const parsed = parseMessage(chunk.subarray(100, 100 + frame.length))
    if (!parsed.ok || parsed.message.kind !== 'update') throw new Error('not an update')
    const update = parsed.message.update
    // The parse and a Buffer's slice() are both views of the whole chunk.
    expect(update.buffer).toBe(chunk.buffer)
    expect(update.slice().buffer).toBe(chunk.buffer)
    const kept = ownCopy(update)
    // A Buffer: the update log binds it as a BLOB (better-sqlite3 refuses a plain Uint8Array).
    expect(Buffer.isBuffer(kept)).toBe(true)
    expect(kept.buffer.byteLength).toBe(4)
    chunk.fill(0)
    expect([...kept]).toEqual([1, 2, 3, 4])
  })
})
