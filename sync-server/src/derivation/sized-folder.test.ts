import { createTask, getBoardView, initBoard, moveTask, updateTask } from '@taskflow/board'
import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import type { FoldBase } from './board-fold.js'
import type { LogEntry } from './committed-log.js'
import { InlineFolder } from './folder.js'
import { SizedFolder } from './sized-folder.js'

const T0 = Date.UTC(2026, 0, 5, 9)

/**
 * A board log: the board, then per task a create, a move and a rename, one row each; before
 * task `bulkAt`, `bulk` tasks created in one row (an import: one large update).
 */
function boardLog(tasks: number, bulkAt = -1, bulk = 0): LogEntry[] {
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
  for (let i = 0; i < tasks; i++) {
    if (i === bulkAt) {
      log(() => {
        for (let k = 0; k < bulk; k++)
          createTask(doc, { columnId: todo, title: `bulk ${k}`, description: 'x'.repeat(200) })
      })
    }
    let id = ''
    log(() => {
      const r = createTask(doc, { columnId: todo, title: `T${i}` }, { userId: 'ann' })
      if (r.ok) id = r.value.id
    })
    first ||= id
    log(() => moveTask(doc, id, { columnId: doing }, { userId: 'ann' }))
    log(() => updateTask(doc, id, { title: `renamed ${i}` }))
  }
  // The first task moved back and renamed: edits of a task the fold knew before any move.
  log(() => moveTask(doc, first, { columnId: todo }, { userId: 'ann' }))
  log(() => updateTask(doc, first, { title: 'first, again' }))
  return rows
}

const emptyBase: FoldBase = {
  snapshot: null,
  rows: [],
  start: 0,
  projectedSeq: null,
  projected: [],
}

/** An InlineFolder standing in for the worker, with its calls counted. */
function countedFolder() {
  const f = new InlineFolder()
  return { f, init: vi.spyOn(f, 'init'), advance: vi.spyOn(f, 'advance') }
}

/** Every output of folding `batches` in order through `folder`, after an empty base. */
async function foldAll(folder: InlineFolder | SizedFolder, batches: LogEntry[][]) {
  await folder.init('p1', emptyBase, T0)
  const outs = []
  for (const b of batches) outs.push(await folder.advance('p1', b))
  return outs
}

describe('SizedFolder (issue 17: small boards fold on the calling thread)', () => {
  it('folds a small board on the calling thread and a large base on the other folder', async () => {
    const small = countedFolder()
    const large = countedFolder()
    const folder = new SizedFolder(small.f, large.f, 10_000)
    const rows = boardLog(5)
    await folder.init('p1', emptyBase, T0)
    await folder.advance('p1', rows)
    expect(small.advance).toHaveBeenCalledTimes(1)
    const big: FoldBase = { ...emptyBase, rows, start: rows.length }
    await folder.init('p2', { ...big, rows: [...rows, ...boardLog(60).slice(rows.length)] }, T0)
    expect(large.init).toHaveBeenCalledTimes(1)
    expect(small.init).toHaveBeenCalledTimes(1)
  })

  it('moves an inline fold to the other folder before a large batch, with the same output as a fold that never moved', async () => {
    // 20 tasks edited one by one, 300 imported in one row (> maxBytes), 5 more one by one,
    // then the first task moved back and renamed.
    const rows = boardLog(25, 20, 300)
    const bulk = rows.findIndex((r) => r.update.length > 20_000)
    expect(bulk).toBeGreaterThan(0)
    const batches = [
      rows.slice(0, 10),
      rows.slice(10, bulk),
      rows.slice(bulk, bulk + 1),
      rows.slice(bulk + 1),
    ]
    const small = countedFolder()
    const large = countedFolder()
    const sized = new SizedFolder(small.f, large.f, 20_000)
    const moved = await foldAll(sized, batches)
    const reference = await foldAll(new InlineFolder(), batches)
    // Two batches here, the large one and the one after it (small, but the fold has moved).
    expect(small.advance).toHaveBeenCalledTimes(2)
    expect(large.init).toHaveBeenCalledTimes(1)
    expect(large.advance).toHaveBeenCalledTimes(2)
    expect(moved).toEqual(reference)
    const last = moved.at(-1)!.out
    expect(last.projection!.changes.some((c) => c.fromColumnId !== null)).toBe(true)
    expect(last.events.length).toBeGreaterThan(0)
    expect(moved.at(-2)!.out.projection!.rows.length).toBe(300)
    sized.drop('p1')
    await expect(large.f.advance('p1', [])).rejects.toThrow(/no fold/)
  })
})
