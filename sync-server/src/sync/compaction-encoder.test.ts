import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CompactionEncoder } from './compaction-encoder.js'

const encoders: CompactionEncoder[] = []
afterEach(async () => {
  for (const e of encoders.splice(0)) await e.close()
})

/** A board whose edits are kept as updates, as a room's log holds them. */
function board(name: string) {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => updates.push(u))
  return {
    edit: (i: number) => doc.getMap('m').set(`${name}${i}`, i),
    take: () => updates.splice(0),
    json: () => doc.getMap('m').toJSON(),
  }
}

const load = (state: Uint8Array) => {
  const d = new Y.Doc()
  Y.applyUpdate(d, state)
  return d.getMap('m').toJSON()
}

describe('CompactionEncoder', () => {
  it('each compaction starts from the state the previous one returned, for more boards than the worker keeps', async () => {
    const encoder = new CompactionEncoder()
    encoders.push(encoder)
    // Six boards (the worker keeps four states): compacted in turns, each from its last state.
    const boards = Array.from({ length: 6 }, (_, i) => ({
      b: board(`b${i}`),
      base: null as Uint8Array | null,
    }))
    for (let round = 0; round < 3; round++) {
      for (const entry of boards) {
        entry.b.edit(round)
        const enc = await encoder.encode({
          base: entry.base,
          updates: entry.b.take(),
          prevSv: null,
          rows: null,
        })
        expect(load(enc.state)).toEqual(entry.b.json())
        entry.base = enc.state
      }
    }
  })
})
