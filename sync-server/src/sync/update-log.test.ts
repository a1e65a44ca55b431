import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { chainState } from '../history/checkpoint-chain.js'
import { BACKENDS, createTestDatabase, type TestDatabase } from '../test/backends.js'
import { CompactionEncoder } from './compaction-encoder.js'
import { type LogRow, UpdateLog } from './update-log.js'

const opened: TestDatabase[] = []
afterEach(async () => {
  for (const d of opened.splice(0)) await d.drop()
})

async function database(dialect: (typeof BACKENDS)[number]) {
  const d = await createTestDatabase(dialect)
  opened.push(d)
  return d
}

const row = (docName: string, seq: number, update: Uint8Array, createdAt = 1_000): LogRow => ({
  docName,
  seq,
  update,
  userId: 'u1',
  createdAt,
})

describe.each(BACKENDS)('UpdateLog on %s (SPEC 3)', (dialect) => {
  it('loads what a group commit appended, bindings included, and a compaction keeps the state', async () => {
    const { db } = await database(dialect)
    const log = new UpdateLog(db, () => 5_000)
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    for (let i = 0; i < 5; i++) doc.getMap('m').set(`k${i}`, i)
    await log.append(
      updates.map((u, i) => row('d', i + 1, u, 1_765_000_000_000 + i)),
      [{ docName: 'd', clientId: doc.clientID, userId: 'u1', createdAt: 1 }],
    )
    // A binding is never moved to another user (SPEC 7): the second write is ignored.
    await log.append([], [{ docName: 'd', clientId: doc.clientID, userId: 'u2', createdAt: 2 }])
    const bindings = await db.selectFrom('client_bindings').selectAll().execute()
    expect(bindings.map((b) => [b.client_id, b.user_id])).toEqual([[doc.clientID, 'u1']])
    const times = await db.selectFrom('doc_updates').select('created_at').orderBy('seq').execute()
    expect(times[4]!.created_at).toBe(1_765_000_000_004)

    const loaded = await log.load('d')
    expect(loaded).toMatchObject({ snapshot: null, snapshotSeq: 0, lastSeq: 5 })
    expect(loaded.updates.map((u) => u.seq)).toEqual([1, 2, 3, 4, 5])

    await log.compact('d', Y.encodeStateAsUpdate(doc), 3)
    const after = await log.load('d')
    expect(after.snapshotSeq).toBe(3)
    expect(after.updates.map((u) => u.seq)).toEqual([4, 5])
    expect(after.lastSeq).toBe(5)
    const rebuilt = new Y.Doc()
    Y.applyUpdate(rebuilt, after.snapshot!)
    for (const u of after.updates) Y.applyUpdate(rebuilt, u.update)
    expect(rebuilt.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())

    await log.deleteDocument('d')
    expect(await log.load('d')).toEqual({ snapshot: null, snapshotSeq: 0, updates: [], lastSeq: 0 })
  })

  it('a duplicate sequence fails the whole group commit: nothing of the batch is stored (SPEC 3.1)', async () => {
    const { db } = await database(dialect)
    const log = new UpdateLog(db, () => 0)
    const u = new Uint8Array([0, 0])
    await log.append([row('d', 1, u)])
    await expect(log.append([row('d', 2, u), row('e', 1, u), row('d', 1, u)])).rejects.toThrow()
    const loaded = await log.load('d')
    expect(loaded.updates.map((r) => r.seq)).toEqual([1])
    expect((await log.load('e')).updates).toEqual([])
  })

  it('a crash between snapshot write and log truncation leaves the old snapshot and the whole log (SPEC 3.4)', async () => {
    const { db } = await database(dialect)
    const log = new UpdateLog(db, () => 0, {
      afterSnapshotWrite: () => {
        throw new Error('simulated crash')
      },
    })
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    for (let i = 0; i < 3; i++) doc.getMap('m').set(`k${i}`, i)
    await log.append(updates.map((u, i) => row('d', i + 1, u)))
    await expect(log.compact('d', Y.encodeStateAsUpdate(doc), 3)).rejects.toThrow(/crash/)
    const loaded = await log.load('d')
    expect(loaded.snapshot).toBeNull()
    expect(loaded.updates).toHaveLength(3)
  })

  it("keeps the checkpoint policy's sizes as running totals equal to the log and diffs they count", async () => {
    const { db } = await database(dialect)
    const day = 86_400_000
    let now = Date.UTC(2026, 0, 5)
    const log = new UpdateLog(db, () => now, {}, { days: 90, checkpointUpdates: 3 })
    const doc = new Y.Doc()
    let seq = 0
    const edit = async (v: string, text = '') => {
      const before = Y.encodeStateVector(doc)
      doc.getMap('m').set('k', v)
      if (text) doc.getText('t').insert(0, text)
      await log.append([row('d', ++seq, Y.encodeStateAsUpdate(doc, before), now)])
    }
    // A large state, then small edits a day apart (retention keeps one checkpoint a day):
    // a diff each day, each counting the log and the diffs since the full one.
    await edit('a', 'x'.repeat(3000))
    await log.compact('d', Y.encodeStateAsUpdate(doc), seq)
    for (let round = 0; round < 5; round++) {
      now += day
      for (let i = 0; i < 4; i++) await edit(`r${round} e${i}`, 'y'.repeat(120))
      await log.compact('d', Y.encodeStateAsUpdate(doc), seq)
    }
    await log.thinningIdle()
    const cps = await db
      .selectFrom('doc_checkpoints')
      .select(['upto_seq', 'kind', 'state', 'log_bytes_since_full', 'chain_bytes'])
      .where('doc_name', '=', 'd')
      .orderBy('upto_seq')
      .execute()
    const rows = await db
      .selectFrom('doc_updates')
      .select(['seq', 'update'])
      .where('doc_name', '=', 'd')
      .execute()
    // (A diff that would make the chain outweigh the log it covers is not kept.)
    expect(cps[0]!.kind).toBe('full')
    expect(cps.filter((c) => c.kind === 'diff').length).toBeGreaterThanOrEqual(3)
    let fullSeq = 0
    let chain = 0
    for (const c of cps) {
      if (c.kind === 'full') {
        fullSeq = c.upto_seq
        chain = 0
        expect([c.log_bytes_since_full, c.chain_bytes]).toEqual([0, 0])
        continue
      }
      chain += c.state.length
      const logBytes = rows
        .filter((r) => r.seq > fullSeq && r.seq <= c.upto_seq)
        .reduce((n, r) => n + r.update.length, 0)
      expect([c.log_bytes_since_full, c.chain_bytes]).toEqual([logBytes, chain])
    }
  })

  it('writes a diff against a checkpoint stored before diffs existed (no state vector), and the chain loads', async () => {
    const { db } = await database(dialect)
    const t = 1_000
    const day = 86_400_000
    let now = t
    const log = new UpdateLog(db, () => now, {}, { days: 90, checkpointUpdates: 2 })
    const doc = new Y.Doc()
    let seq = 0
    // A large text first, then small edits: the log since the full checkpoint stays smaller
    // than the state, so the next checkpoint is a diff.
    const edit = async (v: string, text = '') => {
      const before = Y.encodeStateVector(doc)
      doc.getMap('m').set('k', v)
      if (text) doc.getText('t').insert(0, text)
      await log.append([row('d', ++seq, Y.encodeStateAsUpdate(doc, before), now)])
    }
    await edit('a', 'x'.repeat(5000))
    await edit('b')
    // A row as the previous format wrote it: full, no kind given, no state vector.
    await db
      .insertInto('doc_checkpoints')
      .values({
        doc_name: 'd',
        upto_seq: seq,
        upto_at: t,
        state: Y.encodeStateAsUpdate(doc),
        created_at: t,
        state_vector: null,
      })
      .execute()
    // The next day (thinning keeps one checkpoint per day).
    now = t + day
    for (let i = 0; i < 40; i++) await edit(`edit ${i}`)
    await log.compact('d', Y.encodeStateAsUpdate(doc), seq)
    await log.thinningIdle()
    const rows = await db
      .selectFrom('doc_checkpoints')
      .select(['upto_seq', 'kind', 'state'])
      .where('doc_name', '=', 'd')
      .orderBy('upto_seq')
      .execute()
    expect(rows.map((r) => [r.upto_seq, r.kind])).toEqual([
      [2, 'full'],
      [42, 'diff'],
    ])
    const loaded = new Y.Doc()
    Y.applyUpdate(loaded, chainState(rows))
    expect(loaded.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
    expect(loaded.getText('t').toString()).toBe(doc.getText('t').toString())
  })
})

describe.each(BACKENDS)(
  'diff checkpoints carry only new deletions on %s (issue 18 perf)',
  (dialect) => {
    for (const via of ['the live doc', 'the compaction worker'] as const) {
      it(`a diff's delete set is the deletions since the previous checkpoint, and the chain loads (${via})`, async () => {
        const { db } = await database(dialect)
        let now = 1_000
        const log = new UpdateLog(db, () => now, {}, { days: 90, checkpointUpdates: 10 })
        const doc = new Y.Doc()
        let seq = 0
        const rows: Uint8Array[] = []
        // Overwrites delete the previous value each time: the document's delete set grows.
        // Each row is the update of one transaction, as a client sends it.
        let update: Uint8Array = new Uint8Array()
        doc.on('update', (u: Uint8Array) => {
          update = u
        })
        const edit = async (i: number) => {
          doc.transact(() => {
            doc.getMap('m').set(`k${i % 7}`, `value ${i}`)
            doc.getText('t').insert(0, `line ${i}\n`)
            if (i % 3 === 0) doc.getText('t').delete(0, 4)
          })
          rows.push(update)
          await log.append([{ docName: 'd', seq: ++seq, update, userId: null, createdAt: now }])
        }
        for (let i = 0; i < 300; i++) await edit(i)
        await log.compact('d', Y.encodeStateAsUpdate(doc), seq, doc)
        await log.thinningIdle()
        const prevSv = Y.encodeStateVector(doc)
        // The next day: retention keeps one checkpoint a day.
        now += 86_400_000
        for (let i = 300; i < 320; i++) await edit(i)
        const state = Y.encodeStateAsUpdate(doc)
        if (via === 'the live doc') await log.compact('d', state, seq, doc)
        else {
          const encoder = new CompactionEncoder()
          const inputs = await log.checkpointInputs('d', seq)
          expect(inputs?.rows).toHaveLength(20)
          const enc = await encoder.encode({
            base: null,
            updates: rows,
            prevSv: inputs!.prevSv,
            rows: inputs!.rows,
          })
          await encoder.close()
          await log.compact('d', enc.state, seq, undefined, {
            sv: enc.sv,
            afterSeq: inputs!.afterSeq,
            diff: enc.diff,
          })
        }
        await log.thinningIdle()
        const cps = await db
          .selectFrom('doc_checkpoints')
          .select(['upto_seq', 'kind', 'state'])
          .where('doc_name', '=', 'd')
          .orderBy('upto_seq')
          .execute()
        expect(cps.map((c) => [c.upto_seq, c.kind])).toEqual([
          [300, 'full'],
          [320, 'diff'],
        ])
        // Smaller than the diff with the whole delete set, by more than the 300 edits' deletions.
        const wholeDs = Y.encodeStateAsUpdate(doc, prevSv)
        expect(cps[1]!.state.length).toBeLessThan(wholeDs.length - 300)
        const loaded = new Y.Doc()
        loaded.transact(() => {
          for (const c of cps) Y.applyUpdate(loaded, c.state)
        })
        expect(loaded.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
        expect(loaded.getText('t').toString()).toBe(doc.getText('t').toString())
        expect(Y.encodeStateVector(loaded)).toEqual(Y.encodeStateVector(doc))
        // Nothing the document deleted is alive in the loaded one.
        expect(
          Y.equalDeleteSets(
            Y.createDeleteSetFromStructStore(loaded.store),
            Y.createDeleteSetFromStructStore(doc.store),
          ),
        ).toBe(true)
      })
    }
  },
)
