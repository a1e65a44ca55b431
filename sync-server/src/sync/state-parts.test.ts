import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { loadBaseUpdates } from '../history/history.repository.js'
import { BACKENDS, createTestDatabase, type TestDatabase } from '../test/backends.js'
import { STATE_PART_BYTES } from './state-parts.js'
import { type CompactionHooks, type LogRow, UpdateLog } from './update-log.js'

const opened: TestDatabase[] = []
afterEach(async () => {
  for (const d of opened.splice(0)) await d.drop()
})

const policy = { days: 90, checkpointUpdates: 1_000 }

const row = (docName: string, seq: number, update: Uint8Array): LogRow => ({
  docName,
  seq,
  update,
  userId: 'u1',
  createdAt: 1_000 + seq,
})

/** Text no compression or Yjs encoding shrinks: the state is about `chars` bytes. */
function noise(chars: number, seed: number): string {
  let s = seed
  let out = ''
  for (let i = 0; i < chars; i++) {
    s = (s * 1664525 + 1013904223) >>> 0
    out += String.fromCharCode(97 + (s % 26))
  }
  return out
}

/** A document whose updates are appended as log rows 1, 2, … as they are made. */
async function board(dialect: (typeof BACKENDS)[number], hooks: CompactionHooks = {}) {
  const d = await createTestDatabase(dialect)
  opened.push(d)
  const log = new UpdateLog(d.db, () => 5_000, hooks, policy)
  const doc = new Y.Doc()
  let seq = 0
  const edit = async (fn: () => void) => {
    const updates: Uint8Array[] = []
    const take = (u: Uint8Array) => updates.push(u)
    doc.on('update', take)
    fn()
    doc.off('update', take)
    await log.append(updates.map((u) => row('d', ++seq, u)))
  }
  return { db: d.db, log, doc, edit, seq: () => seq }
}

/** The document storage holds (snapshot + log), as a room loads it. */
async function stored(log: UpdateLog): Promise<{ seq: number; text: string }> {
  const s = await log.load('d')
  const doc = new Y.Doc()
  if (s.snapshot) Y.applyUpdate(doc, s.snapshot)
  for (const u of s.updates) Y.applyUpdate(doc, u.update)
  return { seq: s.snapshotSeq, text: doc.getText('t').toString() }
}

describe.each(BACKENDS)(
  'large states in parts on %s (issue 18: compaction off the relay path)',
  (dialect) => {
    it('stores a large snapshot and its full checkpoint as shared parts of at most 256 KiB, and both load whole', async () => {
      const { db, log, doc, edit, seq } = await board(dialect)
      await edit(() => doc.getText('t').insert(0, noise(700_000, 1)))
      const state = Y.encodeStateAsUpdate(doc)
      await log.compact('d', state, seq())

      const parts = await db
        .selectFrom('doc_state_parts')
        .select(['blob_id', 'part', (eb) => eb.fn('length', ['data']).as('bytes')])
        .execute()
      expect(parts.length).toBe(Math.ceil(state.length / STATE_PART_BYTES))
      for (const p of parts) expect(Number(p.bytes)).toBeLessThanOrEqual(STATE_PART_BYTES)
      const snap = await db.selectFrom('doc_snapshots').selectAll().executeTakeFirstOrThrow()
      const cp = await db.selectFrom('doc_checkpoints').selectAll().executeTakeFirstOrThrow()
      expect(snap.parts_id).not.toBeNull()
      expect(cp.parts_id).toBe(snap.parts_id)

      const loaded = await log.load('d')
      expect(Buffer.from(loaded.snapshot!).equals(Buffer.from(state))).toBe(true)
      const [base] = await loadBaseUpdates(db, 'd', { kind: 'checkpoint', seq: seq(), at: 0 })
      expect(Buffer.from(base!).equals(Buffer.from(state))).toBe(true)
    })

    it('commits an append made while a large state is being written, before that write ends', async () => {
      let appendedMidway: boolean | null = null
      const ctx: { log?: UpdateLog } = {}
      const { log, doc, edit, seq } = await board(dialect, {
        afterStatePart: async (_doc, part) => {
          if (part !== 0 || appendedMidway !== null) return
          // Another board's group commit: with the whole state in one transaction (SQLite has
          // one writer) this would wait for the compaction that is waiting for it.
          await ctx.log!.append([row('other', 1, new Uint8Array([0, 0]))])
          appendedMidway = (await ctx.log!.load('d')).snapshotSeq === 0
        },
      })
      ctx.log = log
      await edit(() => doc.getText('t').insert(0, noise(600_000, 2)))
      await log.compact('d', Y.encodeStateAsUpdate(doc), seq())
      expect(appendedMidway).toBe(true)
      expect((await log.load('other')).lastSeq).toBe(1)
      expect((await log.load('d')).snapshotSeq).toBe(seq())
    })

    it('a crash between two parts leaves the previous snapshot loadable and complete; the next compaction clears the staged parts', async () => {
      let crashAt: number | null = null
      const { db, log, doc, edit, seq } = await board(dialect, {
        afterStatePart: (_doc, part) => {
          if (part === crashAt) throw new Error('simulated crash')
        },
      })
      const text = doc.getText('t')
      await edit(() => text.insert(0, noise(600_000, 3)))
      await log.compact('d', Y.encodeStateAsUpdate(doc), seq())
      const first = seq()
      await edit(() => text.insert(0, noise(300_000, 4)))
      await edit(() => text.delete(10, 5))
      const expected = text.toString()

      crashAt = 1
      await expect(log.compact('d', Y.encodeStateAsUpdate(doc), seq())).rejects.toThrow(
        'simulated crash',
      )
      // The old snapshot is still the current one, whole, and with the rows after it the
      // board is complete.
      expect(await stored(log)).toEqual({ seq: first, text: expected })
      const staged = await db.selectFrom('doc_state_parts').select('blob_id').execute()
      expect(new Set(staged.map((p) => p.blob_id)).size).toBe(2)

      crashAt = null
      await edit(() => text.insert(0, 'after the crash '))
      await log.compact('d', Y.encodeStateAsUpdate(doc), seq())
      expect(await stored(log)).toEqual({ seq: seq(), text: text.toString() })
      // Only parts a row points at are left: the new snapshot's and the first checkpoint's.
      const left = await db.selectFrom('doc_state_parts').select('blob_id').distinct().execute()
      const pointedAt = [
        ...(await db.selectFrom('doc_snapshots').select('parts_id').execute()),
        ...(await db.selectFrom('doc_checkpoints').select('parts_id').execute()),
      ].map((r) => r.parts_id)
      expect(left.map((p) => p.blob_id).sort()).toEqual(
        [...new Set(pointedAt.filter((id) => id !== null))].sort(),
      )
      await log.thinningIdle()
    })
  },
)
