import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openDatabase } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { tempDir } from '../sync/sync-test-utils.js'
import { UpdateLog } from '../sync/update-log.js'
import { ClusterLog } from './cluster-log.js'

/** Two nodes' connections to one migrated SQLite file. */
async function twoNodes() {
  const file = join(tempDir(), 'taskflow.db')
  const first = openDatabase(file)
  await migrateToLatest(first.db)
  const second = openDatabase(file)
  let t = 1_000
  const now = () => t
  const nodes = [first, second].map((c, i) => ({
    sqlite: c.sqlite,
    log: new ClusterLog(c.sqlite, `node-${i}`, now),
    updates: new UpdateLog(c.sqlite, now, {}, { days: 0, checkpointUpdates: 1 }),
  }))
  return {
    nodes,
    advance: (ms: number) => (t += ms),
    close: () => {
      for (const n of nodes) n.sqlite.close()
    },
  }
}

const row = (docName: string, text: string) => {
  const doc = new Y.Doc()
  doc.getText('t').insert(0, text)
  return { docName, seq: 0, update: Y.encodeStateAsUpdate(doc), userId: null, createdAt: 1 }
}

describe('ClusterLog (several nodes on one database)', () => {
  it('gives every document gap-free seqs across nodes, whatever seq a node expected', async () => {
    const { nodes, close } = await twoNodes()
    const [a, b] = nodes
    const rows = [row('d1', 'a1'), row('d2', 'a2'), row('d1', 'a3')]
    a!.log.append(rows)
    expect(rows.map((r) => r.seq)).toEqual([1, 1, 2])
    const more = [row('d1', 'b1'), row('d1', 'b2')]
    b!.log.append(more)
    expect(more.map((r) => r.seq)).toEqual([3, 4])
    expect(a!.log.rowsAfter('d1', 1).map((r) => r.seq)).toEqual([2, 3, 4])
    expect(a!.log.rowsAfter('d1', 1, 3).map((r) => r.seq)).toEqual([2, 3])
    close()
  })

  it('continues after the snapshot when compaction dropped every row', async () => {
    const { nodes, close } = await twoNodes()
    const [a, b] = nodes
    a!.log.append([row('d', 'x'), row('d', 'y')])
    a!.log.compaction('d', 2, () => a!.updates.compact('d', row('d', 'xy').update, 2))
    expect(a!.log.rowsAfter('d', 0)).toEqual([])
    const next = [row('d', 'z')]
    b!.log.append(next)
    expect(next[0]!.seq).toBe(3)
    close()
  })

  it('compacts on one node at a time, and never takes the stored snapshot back', async () => {
    const { nodes, advance, close } = await twoNodes()
    const [a, b] = nodes
    a!.log.append([row('d', '1'), row('d', '2'), row('d', '3')])
    const ran: string[] = []
    a!.log.compaction('d', 3, () => {
      ran.push('a')
      // While A holds the lease, B's compaction of the same document does not run.
      b!.log.compaction('d', 3, () => ran.push('b inside'))
      a!.updates.compact('d', row('d', '123').update, 3)
    })
    // Behind the stored snapshot (B missed seq 3): writing would take it back.
    b!.log.compaction('d', 2, () => ran.push('b behind'))
    expect(ran).toEqual(['a'])
    // A lease whose holder died expires.
    a!.sqlite.prepare("INSERT INTO doc_leases VALUES ('e', 'node-0', 31000)").run()
    b!.log.compaction('e', 1, () => ran.push('b while held'))
    advance(30_001)
    b!.log.compaction('e', 1, () => ran.push('b after expiry'))
    expect(ran).toEqual(['a', 'b after expiry'])
    close()
  })
})
