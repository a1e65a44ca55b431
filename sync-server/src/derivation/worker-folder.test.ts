import { createTask, getBoardView, initBoard, moveTask } from '@taskflow/board'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createLogger } from '../logger.js'
import type { FoldBase } from './board-fold.js'
import type { LogEntry } from './committed-log.js'
import { InlineFolder } from './folder.js'
import { WorkerFolder } from './worker-folder.js'

const T0 = Date.UTC(2026, 11, 5, 9)

/** The board, an import of `bulk` tasks in one row (> 64 KiB), then one task moved. */
function importLog(bulk: number): LogEntry[] {
  const doc = new Y.Doc()
  const rows: LogEntry[] = []
  const log = (f: () => void) => {
    const sv = Y.encodeStateVector(doc)
    f()
    const seq = rows.length + 1
    rows.push({ seq, update: Y.encodeStateAsUpdate(doc, sv), userId: 'ann', createdAt: T0 + seq })
  }
  log(() => initBoard(doc, { name: 'P' }))
  const [todo, doing] = getBoardView(doc).columns.map((c) => c.id) as [string, string]
  let first = ''
  log(() => {
    for (let k = 0; k < bulk; k++) {
      const r = createTask(
        doc,
        { columnId: todo, title: `bulk ${k}`, description: 'x'.repeat(200) },
        { userId: 'ann' },
      )
      if (r.ok) first ||= r.value.id
    }
  })
  log(() => moveTask(doc, first, { columnId: doing }, { userId: 'ann' }))
  return rows
}

const emptyBase: FoldBase = {
  snapshot: null,
  rows: [],
  start: 0,
  projectedSeq: null,
  projected: [],
}

describe('WorkerFolder (issue 17: a large fold leaves the event loop in small pieces)', () => {
  const worker = new WorkerFolder(createLogger('silent'), { pageItems: 7 })
  afterAll(() => worker.close())

  it('hands back the output of an import in pages, equal to the output of a fold on this thread, and leaves the rows it was given intact', async () => {
    const rows = importLog(300)
    expect(rows[1]!.update.length).toBeGreaterThan(64 * 1024)
    const copies = rows.map((r) => Uint8Array.from(r.update))
    const batches = [rows.slice(0, 1), rows.slice(1, 2), rows.slice(2)]
    const inline = new InlineFolder()
    await inline.init('p1', emptyBase, T0)
    await worker.init('p1', emptyBase, T0)
    for (const b of batches) {
      const expected = await inline.advance('p1', b)
      expect(await worker.advance('p1', b)).toEqual(expected)
    }
    // The import's output: one row, search text, status change and event per task.
    const again = new InlineFolder()
    await again.init('p1', emptyBase, T0)
    await again.advance('p1', batches[0]!)
    const big = await again.advance('p1', batches[1]!)
    expect(big.out.projection!.rows).toHaveLength(300)
    expect(big.out.events.length).toBeGreaterThanOrEqual(300)
    // The caller's buffers (a room shares its committed rows) are not moved to the worker.
    expect(rows.map((r) => Uint8Array.from(r.update))).toEqual(copies)
  })

  it('rebuilds a fold from a base holding a large row, as a fold on this thread does', async () => {
    const rows = importLog(300)
    const base: FoldBase = { ...emptyBase, rows: rows.slice(0, 2), start: 2 }
    const inline = new InlineFolder()
    expect(await worker.init('p2', base, T0)).toBe(await inline.init('p2', base, T0))
    expect(await worker.advance('p2', rows.slice(2))).toEqual(
      await inline.advance('p2', rows.slice(2)),
    )
    expect(base.rows[1]!.update.length).toBe(rows[1]!.update.length)
  })
})
