import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openDatabase } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { chainState } from '../history/checkpoint-chain.js'
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
