import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openDatabase } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { chainState } from '../history/checkpoint-chain.js'
import { CompactionEncoder } from './compaction-encoder.js'
import { UpdateLog } from './update-log.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('UpdateLog history checkpoints', () => {
  it('writes a diff against a checkpoint stored before diffs existed (no state vector), and the chain loads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-ulog-'))
    dirs.push(dir)
    const { db, sqlite } = openDatabase(join(dir, 'db.sqlite'))
    await migrateToLatest(db)
    const t = 1_000
    const day = 86_400_000
    let now = t
    const log = new UpdateLog(sqlite, () => now, {}, { days: 90, checkpointUpdates: 2 })
    const doc = new Y.Doc()
    let seq = 0
    // A large text first, then small edits: the log since the full checkpoint stays smaller
    // than the state, so the next checkpoint is a diff.
    const edit = (v: string, text = '') => {
      const before = Y.encodeStateVector(doc)
      doc.getMap('m').set('k', v)
      if (text) doc.getText('t').insert(0, text)
      log.append([
        {
          docName: 'd',
          seq: ++seq,
          update: Y.encodeStateAsUpdate(doc, before),
          userId: null,
          createdAt: now,
        },
      ])
    }
    edit('a', 'x'.repeat(5000))
    edit('b')
    // A row as the previous format wrote it: full, no kind given, no state vector.
    sqlite
      .prepare(
        'INSERT INTO doc_checkpoints (doc_name, upto_seq, upto_at, state, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run('d', seq, t, Y.encodeStateAsUpdate(doc), t)
    // The next day (thinning keeps one checkpoint per day).
    now = t + day
    for (let i = 0; i < 40; i++) edit(`edit ${i}`)
    log.compact('d', Y.encodeStateAsUpdate(doc), seq)
    await log.thinningIdle()
    const rows = sqlite
      .prepare(
        'SELECT upto_seq, kind, state FROM doc_checkpoints WHERE doc_name = ? ORDER BY upto_seq',
      )
      .all('d') as { upto_seq: number; kind: 'full' | 'diff'; state: Uint8Array }[]
    expect(rows.map((r) => [r.upto_seq, r.kind])).toEqual([
      [2, 'full'],
      [42, 'diff'],
    ])
    const loaded = new Y.Doc()
    Y.applyUpdate(loaded, chainState(rows))
    expect(loaded.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON())
    expect(loaded.getText('t').toString()).toBe(doc.getText('t').toString())
    sqlite.close()
  })
})

describe('diff checkpoints carry only new deletions (issue 18 perf)', () => {
  for (const via of ['the live doc', 'the compaction worker'] as const) {
    it(`a diff's delete set is the deletions since the previous checkpoint, and the chain loads (${via})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tf-ulog-'))
      dirs.push(dir)
      const { db, sqlite } = openDatabase(join(dir, 'db.sqlite'))
      await migrateToLatest(db)
      let now = 1_000
      const log = new UpdateLog(sqlite, () => now, {}, { days: 90, checkpointUpdates: 10 })
      const doc = new Y.Doc()
      let seq = 0
      const rows: Uint8Array[] = []
      // Overwrites delete the previous value each time: the document's delete set grows.
      // Each row is the update of one transaction, as a client sends it.
      let update: Uint8Array = new Uint8Array()
      doc.on('update', (u: Uint8Array) => {
        update = u
      })
      const edit = (i: number) => {
        doc.transact(() => {
          doc.getMap('m').set(`k${i % 7}`, `value ${i}`)
          doc.getText('t').insert(0, `line ${i}\n`)
          if (i % 3 === 0) doc.getText('t').delete(0, 4)
        })
        rows.push(update)
        log.append([{ docName: 'd', seq: ++seq, update, userId: null, createdAt: now }])
      }
      for (let i = 0; i < 300; i++) edit(i)
      log.compact('d', Y.encodeStateAsUpdate(doc), seq, doc)
      await log.thinningIdle()
      const prevSv = Y.encodeStateVector(doc)
      // The next day: retention keeps one checkpoint a day.
      now += 86_400_000
      for (let i = 300; i < 320; i++) edit(i)
      const state = Y.encodeStateAsUpdate(doc)
      if (via === 'the live doc') log.compact('d', state, seq, doc)
      else {
        const encoder = new CompactionEncoder()
        const inputs = log.checkpointInputs('d', seq)
        expect(inputs?.rows).toHaveLength(20)
        const enc = await encoder.encode({
          base: null,
          updates: rows,
          prevSv: inputs!.prevSv,
          rows: inputs!.rows,
        })
        await encoder.close()
        log.compact('d', enc.state, seq, undefined, {
          sv: enc.sv,
          afterSeq: inputs!.afterSeq,
          diff: enc.diff,
        })
      }
      await log.thinningIdle()
      const cps = sqlite
        .prepare(
          'SELECT upto_seq, kind, state FROM doc_checkpoints WHERE doc_name = ? ORDER BY upto_seq',
        )
        .all('d') as { upto_seq: number; kind: 'full' | 'diff'; state: Uint8Array }[]
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
      sqlite.close()
    })
  }
})
