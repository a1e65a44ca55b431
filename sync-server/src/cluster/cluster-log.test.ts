import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type Db, openDatabase } from '../db/database.js'
import { UpdateLog } from '../sync/update-log.js'
import { BACKENDS, createTestDatabase, type TestDatabase } from '../test/backends.js'
import { ClusterLog } from './cluster-log.js'

const opened: TestDatabase[] = []
const extra: Db[] = []
afterEach(async () => {
  for (const d of extra.splice(0)) await d.destroy()
  for (const d of opened.splice(0)) await d.drop()
})

/**
 * Two nodes on one migrated database: on SQLite two connections to one file; on Postgres
 * one pool (several connections), as two processes would hold.
 */
async function twoNodes(dialect: (typeof BACKENDS)[number]) {
  const first = await createTestDatabase(dialect)
  opened.push(first)
  let second = first.db
  if (dialect === 'sqlite') {
    second = openDatabase(first.env.TASKFLOW_DB!).db
    extra.push(second)
  }
  let t = 1_000
  const now = () => t
  const nodes = [first.db, second].map((db, i) => ({
    db,
    log: new ClusterLog(db, `node-${i}`, now),
    updates: new UpdateLog(db, now, {}, { days: 0, checkpointUpdates: 1 }),
  }))
  return { nodes, advance: (ms: number) => (t += ms) }
}

const row = (docName: string, text: string) => {
  const doc = new Y.Doc()
  doc.getText('t').insert(0, text)
  return { docName, seq: 0, update: Y.encodeStateAsUpdate(doc), userId: null, createdAt: 1 }
}

describe.each(BACKENDS)('ClusterLog (several nodes on one %s database)', (dialect) => {
  it('gives every document gap-free seqs across nodes, whatever seq a node expected', async () => {
    const { nodes } = await twoNodes(dialect)
    const [a, b] = nodes
    const rows = [row('d1', 'a1'), row('d2', 'a2'), row('d1', 'a3')]
    await a!.log.append(rows)
    expect(rows.map((r) => r.seq)).toEqual([1, 1, 2])
    const more = [row('d1', 'b1'), row('d1', 'b2')]
    await b!.log.append(more)
    expect(more.map((r) => r.seq)).toEqual([3, 4])
    expect((await a!.log.rowsAfter('d1', 1)).map((r) => r.seq)).toEqual([2, 3, 4])
    expect((await a!.log.rowsAfter('d1', 1, 3)).map((r) => r.seq)).toEqual([2, 3])
  })

  it('two nodes appending to one document at once never store one seq twice', async () => {
    const { nodes } = await twoNodes(dialect)
    const [a, b] = nodes
    const batches = Array.from({ length: 10 }, (_, i) => [row('d', `${i}a`), row('d', `${i}b`)])
    await Promise.all(batches.map((rows, i) => (i % 2 ? a! : b!).log.append(rows)))
    const seqs = batches.flat().map((r) => r.seq)
    expect([...seqs].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(await a!.log.lastSeq('d')).toBe(20)
  })

  it('continues after the snapshot when compaction dropped every row', async () => {
    const { nodes } = await twoNodes(dialect)
    const [a, b] = nodes
    await a!.log.append([row('d', 'x'), row('d', 'y')])
    await a!.log.compaction('d', 2, () => a!.updates.compact('d', row('d', 'xy').update, 2))
    expect(await a!.log.rowsAfter('d', 0)).toEqual([])
    const next = [row('d', 'z')]
    await b!.log.append(next)
    expect(next[0]!.seq).toBe(3)
  })

  it('compacts on one node at a time, and never takes the stored snapshot back', async () => {
    const { nodes, advance } = await twoNodes(dialect)
    const [a, b] = nodes
    await a!.log.append([row('d', '1'), row('d', '2'), row('d', '3')])
    const ran: string[] = []
    await a!.log.compaction('d', 3, async () => {
      ran.push('a')
      // While A holds the lease, B's compaction of the same document does not run.
      await b!.log.compaction('d', 3, async () => {
        ran.push('b inside')
      })
      await a!.updates.compact('d', row('d', '123').update, 3)
    })
    // Behind the stored snapshot (B missed seq 3): writing would take it back.
    await b!.log.compaction('d', 2, async () => {
      ran.push('b behind')
    })
    expect(ran).toEqual(['a'])
    // A lease whose holder died expires.
    await a!.db
      .insertInto('doc_leases')
      .values({ doc_name: 'e', holder: 'node-0', expires_at: 31_000 })
      .execute()
    await b!.log.compaction('e', 1, async () => {
      ran.push('b while held')
    })
    advance(30_001)
    await b!.log.compaction('e', 1, async () => {
      ran.push('b after expiry')
    })
    expect(ran).toEqual(['a', 'b after expiry'])
  })
})
