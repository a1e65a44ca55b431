import {
  addChecklistItem,
  addComment,
  addRelation,
  createColumn,
  createField,
  createLabel,
  createTask,
  deleteLabel,
  deleteTask,
  getBoardView,
  initBoard,
  moveTask,
  restoreTask,
  setParent,
  setTaskFieldValue,
  updateTask,
} from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { toBoard } from '../tasks/tasks.presenter.js'
import { applyBoardPatch, boardFromProjection, type ProjectedBoard } from './board-projection.js'
import { HistoryIndex } from './history-index.js'
import type { BoardRow } from './history-index.repository.js'

function rng(seed: number) {
  let s = seed
  const next = () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
  return {
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
  }
}

/** The board read from stored rows as `?at=` reads it: the newest whole at or before, then patches. */
function readAt(rows: readonly BoardRow[], seq: number) {
  const full = rows.filter((r) => r.kind === 'full' && r.seq <= seq).at(-1)!
  const board = JSON.parse(full.body) as ProjectedBoard
  for (const r of rows) {
    if (r.kind === 'patch' && r.seq > full.seq && r.seq <= seq)
      applyBoardPatch(board, JSON.parse(r.body))
  }
  return boardFromProjection(board, [])
}

describe('stored board reads (board-projection.ts)', () => {
  it('a whole board plus the patches after it equals the board read of the document after every row, whatever the row changed', () => {
    const r = rng(42)
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    const ctx = { now: Date.UTC(2026, 11, 1), userId: 'u1' }
    initBoard(doc, { name: 'Projection' }, ctx)
    const idx = new HistoryIndex({ kind: 'empty', seq: 0, at: 0 }, [], 0, null)
    const rows: BoardRow[] = []
    const expected: { seq: number; board: unknown }[] = [
      { seq: 0, board: JSON.parse(JSON.stringify(toBoard(new Y.Doc(), []))) },
    ]
    let seq = 0
    const commit = () => {
      const update = Y.mergeUpdates(updates.splice(0))
      seq++
      idx.apply({ seq, update, userId: 'u1', at: ctx.now })
      rows.push(...idx.takeWrite().board)
      expected.push({ seq, board: JSON.parse(JSON.stringify(toBoard(doc, []))) })
    }
    commit()
    const fieldIds: string[] = []
    const labelIds: string[] = []
    for (let step = 0; step < 160; step++) {
      ctx.now += 60_000
      const view = getBoardView(doc)
      const tasks = view.columns.flatMap((c) => c.tasks)
      const op = r.int(14)
      if (op <= 2 || tasks.length < 3) {
        createTask(
          doc,
          {
            columnId: r.pick(view.columns).id,
            title: `T${step}`,
            descriptionMarkdown: `d ${step}`,
          },
          ctx,
        )
      } else if (op === 3) {
        updateTask(doc, r.pick(tasks).id, { title: `renamed ${step}`, estimate: r.int(8) }, ctx)
      } else if (op === 4) {
        updateTask(doc, r.pick(tasks).id, { descriptionMarkdown: `**body** ${step}` }, ctx)
      } else if (op === 5) {
        const to = r.pick(view.columns)
        moveTask(doc, r.pick(tasks).id, { columnId: to.id, index: r.int(to.tasks.length + 1) }, ctx)
      } else if (op === 6) {
        deleteTask(doc, r.pick(tasks).id, ctx)
      } else if (op === 7 && view.trash.length > 0) {
        restoreTask(doc, r.pick(view.trash).id, ctx)
      } else if (op === 8) {
        addComment(doc, r.pick(tasks).id, { body: `comment ${step}` }, ctx)
      } else if (op === 9) {
        addRelation(doc, r.pick(tasks).id, 'blocks', r.pick(tasks).id, ctx)
      } else if (op === 10) {
        setParent(doc, r.pick(tasks).id, r.pick(tasks).id, undefined, ctx)
      } else if (op === 11) {
        if (fieldIds.length === 0 || r.int(3) === 0) {
          const f = createField(doc, { name: `F${step}`, type: 'number' }, ctx)
          if (f.ok) fieldIds.push(f.value.id)
        } else setTaskFieldValue(doc, r.pick(tasks).id, r.pick(fieldIds), r.int(100), ctx)
      } else if (op === 12) {
        if (labelIds.length > 0 && r.int(3) === 0) deleteLabel(doc, labelIds.pop()!, ctx)
        else {
          const l = createLabel(doc, { name: `L${step}`, color: '#336699' }, ctx)
          if (l.ok) labelIds.push(l.value.id)
          if (l.ok) updateTask(doc, r.pick(tasks).id, { labelIds: [l.value.id] }, ctx)
        }
      } else if (op === 13) {
        if (r.int(4) === 0) createColumn(doc, { name: `C${step}`, category: 'in_progress' }, ctx)
        else addChecklistItem(doc, r.pick(tasks).id, { text: `item ${step}` }, ctx)
      }
      if (updates.length > 0) commit()
    }
    idx.destroy()
    expect(rows.filter((x) => x.kind === 'full').length).toBeGreaterThan(1)
    // The sequence reached what other tasks and the board's own types feed into a task.
    const seen = expected.flatMap((e) => (e.board as { tasks: Record<string, unknown>[] }).tasks)
    expect(seen.some((t) => (t.commentCount as number) > 0)).toBe(true)
    expect(seen.some((t) => (t.blockedBy as string[]).length > 0)).toBe(true)
    expect(seen.some((t) => t.subtaskProgress !== null)).toBe(true)
    expect(seen.some((t) => Object.keys(t.fields as object).length > 0)).toBe(true)
    expect(seen.some((t) => (t.labelIds as string[]).length > 0)).toBe(true)
    for (const e of expected) {
      expect(JSON.parse(JSON.stringify(readAt(rows, e.seq))), `after row ${e.seq}`).toEqual(e.board)
    }
  })
})
