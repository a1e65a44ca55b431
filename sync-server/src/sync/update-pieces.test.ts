import { afterEach, describe, expect, it } from 'vitest'
import { createCommittedLog } from '../derivation/committed-log.js'
import { BACKENDS, createTestDatabase, type TestDatabase } from '../test/backends.js'
import { UpdateLog } from './update-log.js'
import { readUpdateInPieces, UPDATE_PIECE_BYTES } from './update-pieces.js'

const opened: TestDatabase[] = []
afterEach(async () => {
  for (const d of opened.splice(0)) await d.drop()
})

/** Bytes that differ from piece to piece (a piece put in the wrong place shows). */
function bytes(n: number): Uint8Array {
  const b = new Uint8Array(n)
  for (let i = 0; i < n; i++) b[i] = (i * 7 + Math.floor(i / 4096)) & 0xff
  return b
}

describe.each(BACKENDS)('large logged updates on %s (issue 17)', (dialect) => {
  it('loads an update larger than a piece byte for byte, with the event loop turning while it is read', async () => {
    const d = await createTestDatabase(dialect)
    opened.push(d)
    const log = new UpdateLog(d.db, () => 5_000)
    const big = bytes(2 * UPDATE_PIECE_BYTES + 123)
    const small = bytes(50)
    await log.append([
      { docName: 'd', seq: 1, update: small, userId: 'u1', createdAt: 1 },
      { docName: 'd', seq: 2, update: big, userId: 'u1', createdAt: 2 },
      { docName: 'd', seq: 3, update: small, userId: null, createdAt: 3 },
    ])
    // A callback queued for the next turn runs before the read ends: it is not one task.
    let turned = false
    setImmediate(() => {
      turned = true
    })
    const loaded = await log.load('d')
    expect(turned).toBe(true)
    expect(loaded.updates.map((u) => u.seq)).toEqual([1, 2, 3])
    expect(Buffer.from(loaded.updates[1]!.update).equals(Buffer.from(big))).toBe(true)
    expect(Buffer.from(loaded.updates[2]!.update).equals(Buffer.from(small))).toBe(true)

    const rows = await createCommittedLog(d.db).rowsAfter('d', 0, 10)
    expect(rows.map((r) => [r.seq, r.update.length, r.userId, r.createdAt])).toEqual([
      [1, 50, 'u1', 1],
      [2, big.length, 'u1', 2],
      [3, 50, null, 3],
    ])
    expect(Buffer.from(rows[1]!.update).equals(Buffer.from(big))).toBe(true)
  })

  it('tells that an update is gone when its row was removed (the caller reads again)', async () => {
    const d = await createTestDatabase(dialect)
    opened.push(d)
    const log = new UpdateLog(d.db, () => 5_000)
    const big = bytes(UPDATE_PIECE_BYTES + 1)
    await log.append([{ docName: 'd', seq: 1, update: big, userId: 'u1', createdAt: 1 }])
    expect(await readUpdateInPieces(d.db, 'd', 1, big.length)).toHaveLength(big.length)
    await d.db.deleteFrom('doc_updates').where('doc_name', '=', 'd').execute()
    expect(await readUpdateInPieces(d.db, 'd', 1, big.length)).toBeNull()
  })
})
