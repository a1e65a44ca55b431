import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { createTestDatabase, type TestDatabase } from '../test/backends.js'
import { SqliteSnapshotWriter } from './snapshot-writer.js'
import { type LogRow, UpdateLog } from './update-log.js'

const opened: { d: TestDatabase; w: SqliteSnapshotWriter }[] = []
afterEach(async () => {
  for (const { d, w } of opened.splice(0)) {
    await w.close()
    await d.drop()
  }
})

async function withWriter(minBytes = 0) {
  const d = await createTestDatabase('sqlite')
  // minBytes 0 (default here): these small states go to the writer too.
  const w = new SqliteSnapshotWriter(d.env.TASKFLOW_DB!, 'normal', minBytes)
  opened.push({ d, w })
  return { db: d.db, writer: w }
}

const row = (seq: number, update: Uint8Array): LogRow => ({
  docName: 'd',
  seq,
  update,
  userId: 'u1',
  createdAt: 1_000 + seq,
})

const policy = { days: 90, checkpointUpdates: 1_000 }

describe('compaction snapshot on the writer thread (SQLite, issue 18)', () => {
  it('stores the snapshot and a full checkpoint through its own connection, never moves the snapshot back, and keeps the log', async () => {
    const { db, writer } = await withWriter()
    const log = new UpdateLog(db, () => 5_000, {}, policy, writer)
    const snapshots = vi.spyOn(writer, 'write')
    const checkpoints = vi.spyOn(writer, 'insertCheckpoint')
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    for (let i = 0; i < 4; i++) doc.getMap('m').set(`k${i}`, i)
    await log.append(updates.map((u, i) => row(i + 1, u)))
    const at2 = Y.mergeUpdates(updates.slice(0, 2))
    const at4 = Y.encodeStateAsUpdate(doc)
    await log.compact('d', at4, 4)
    // An older compaction finishing late does not replace the newer snapshot.
    await log.compact('d', at2, 2)
    const stored = await log.load('d')
    expect(stored.snapshotSeq).toBe(4)
    expect(Buffer.from(stored.snapshot!).equals(Buffer.from(at4))).toBe(true)
    // With history the rows stay (retention thins them later).
    const rows = await db
      .selectFrom('doc_updates')
      .select('seq')
      .where('doc_name', '=', 'd')
      .execute()
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4])
    // The first checkpoint (a full state, as large as the snapshot) went the same way.
    const cps = await db
      .selectFrom('doc_checkpoints')
      .select(['upto_seq', 'kind', 'state'])
      .where('doc_name', '=', 'd')
      .execute()
    expect(cps.map((c) => [c.upto_seq, c.kind])).toEqual([[4, 'full']])
    expect(Buffer.from(cps[0]!.state).equals(Buffer.from(at4))).toBe(true)
    expect(snapshots).toHaveBeenCalledTimes(2)
    expect(checkpoints).toHaveBeenCalledTimes(1)
  })

  it('a crash before the write commits leaves no snapshot', async () => {
    const { db, writer } = await withWriter()
    const log = new UpdateLog(
      db,
      () => 5_000,
      {
        afterSnapshotWrite: () => {
          throw new Error('simulated crash')
        },
      },
      policy,
      writer,
    )
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    doc.getMap('m').set('k', 1)
    await log.append(updates.map((u, i) => row(i + 1, u)))
    await expect(log.compact('d', Y.encodeStateAsUpdate(doc), 1)).rejects.toThrow(/crash/)
    expect((await log.load('d')).snapshot).toBeNull()
  })
  it("writes a state below minBytes on the caller's connection: same snapshot and checkpoint, writer untouched", async () => {
    const { db, writer } = await withWriter(1_000)
    const log = new UpdateLog(db, () => 5_000, {}, policy, writer)
    const snapshots = vi.spyOn(writer, 'write')
    const checkpoints = vi.spyOn(writer, 'insertCheckpoint')
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    for (let i = 0; i < 4; i++) doc.getMap('m').set(`k${i}`, i)
    await log.append(updates.map((u, i) => row(i + 1, u)))
    const small = Y.encodeStateAsUpdate(doc)
    expect(small.length).toBeLessThan(1_000)
    await log.compact('d', small, 4)
    const stored = await log.load('d')
    expect(stored.snapshotSeq).toBe(4)
    expect(Buffer.from(stored.snapshot!).equals(Buffer.from(small))).toBe(true)
    const cps = await db
      .selectFrom('doc_checkpoints')
      .select(['upto_seq', 'kind'])
      .where('doc_name', '=', 'd')
      .execute()
    expect(cps.map((c) => [c.upto_seq, c.kind])).toEqual([[4, 'full']])
    // A state at or above minBytes still goes to the writer.
    doc.getMap('m').set('big', 'x'.repeat(2_000))
    await log.append([row(5, updates.at(-1)!)])
    await log.compact('d', Y.encodeStateAsUpdate(doc), 5)
    expect(snapshots).toHaveBeenCalledTimes(1)
    expect(checkpoints).toHaveBeenCalledTimes(0)
    expect((await log.load('d')).snapshotSeq).toBe(5)
  })
})
