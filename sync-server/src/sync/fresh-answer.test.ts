import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { FreshAnswer } from './fresh-answer.js'
import { parseMessage } from './protocol.js'

/** A writer whose every transaction is one stored row. */
function writer() {
  const doc = new Y.Doc()
  const rows: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => rows.push(u))
  return { doc, rows }
}

/** What a client holds after receiving `frames` (2-byte headers under 126 bytes, else 4 or 10). */
function received(frames: readonly Buffer[]): { doc: Y.Doc; kinds: string[] } {
  const doc = new Y.Doc()
  const kinds: string[] = []
  for (const f of frames) {
    const len7 = f[1]! & 0x7f
    const parsed = parseMessage(f.subarray(len7 < 126 ? 2 : len7 === 126 ? 4 : 10))
    if (!parsed.ok || parsed.message.kind !== 'update') throw new Error('not an update')
    kinds.push(f[len7 < 126 ? 3 : len7 === 126 ? 5 : 11] === 1 ? 'step2' : 'update')
    Y.applyUpdate(doc, parsed.message.update)
  }
  return { doc, kinds }
}

describe('the answer to a peer holding nothing (SPEC 2.2, 5.6)', () => {
  it('gives the stored document, with the step 2 that marks the peer synced last', () => {
    const w = writer()
    w.doc.getMap('tasks').set('a', 'first')
    const snapshot = Y.encodeStateAsUpdate(w.doc)
    w.rows.length = 0
    w.doc.getMap('tasks').set('b', 'second')
    w.doc.getText('notes').insert(0, 'hello')
    const fresh = new FreshAnswer(() => {})
    fresh.reset(snapshot, w.rows)
    w.doc.getMap('tasks').delete('a')
    fresh.append(w.rows.at(-1)!)
    const { doc, kinds } = received(fresh.frames())
    expect(doc.getMap('tasks').toJSON()).toEqual({ b: 'second' })
    expect(doc.getText('notes').toString()).toBe('hello')
    expect(kinds.at(-1)).toBe('step2')
    expect(kinds.slice(0, -1).every((k) => k === 'update')).toBe(true)
  })

  it('is built once per version, and a new version reuses the frames of the snapshot and older log segments', () => {
    const w = writer()
    w.doc.getText('notes').insert(0, 'x'.repeat(100_000)) // one big stored row (an import)…
    const bigRow = w.rows[0]!
    for (let i = 0; i < 3; i++) w.doc.getMap('tasks').set(`early${i}`, i) // …and edits after it
    let builds = 0
    const fresh = new FreshAnswer(() => builds++)
    fresh.reset(new Uint8Array([0, 0]), w.rows)
    const first = fresh.frames()
    expect(fresh.frames()).toBe(first)
    expect(builds).toBe(1)
    // The big row is sent as it is stored, not merged with the small edits after it.
    const bigRowFrame = first[1]!
    expect(bigRowFrame.subarray(bigRowFrame.length - bigRow.length)).toEqual(Buffer.from(bigRow))
    for (let i = 0; i < 200; i++) {
      w.doc.getMap('tasks').set(`k${i}`, i)
      fresh.append(w.rows.at(-1)!)
      const frames = fresh.frames()
      // Still the same big segment, and only a logarithmic number of small ones after it.
      expect(frames[1]).toBe(bigRowFrame)
      // (Sizes halve from one segment to the next: at most log2(rows) + 2 of them.)
      expect(frames.length).toBeLessThanOrEqual(5 + Math.ceil(Math.log2(i + 4)))
    }
    expect(builds).toBe(201)
    const { doc } = received(fresh.frames())
    expect(doc.getMap('tasks').size).toBe(203)
    expect(doc.getText('notes').length).toBe(100_000)
  })

  it('does not merge a row of more than 256 KiB (an imported board) into the small rows before it', () => {
    const w = writer()
    for (let i = 0; i < 3; i++) w.doc.getMap('tasks').set(`early${i}`, i)
    w.doc.getText('notes').insert(0, 'x'.repeat(400_000))
    const bigRow = w.rows.at(-1)!
    expect(bigRow.length).toBeGreaterThan(256 * 1024)
    const fresh = new FreshAnswer(() => {})
    fresh.reset(null, w.rows)
    const frames = fresh.frames()
    // The small rows merged among themselves; the big one is sent as it is stored.
    const bigFrame = frames.at(-2)!
    expect(bigFrame.subarray(bigFrame.length - bigRow.length)).toEqual(Buffer.from(bigRow))
    expect(frames.length).toBeLessThanOrEqual(4)
    const { doc } = received(frames)
    expect(doc.getMap('tasks').size).toBe(3)
    expect(doc.getText('notes').length).toBe(400_000)
  })
})
