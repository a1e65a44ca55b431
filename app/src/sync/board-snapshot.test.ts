import 'fake-indexeddb/auto'
import { createTask, deleteTask, getBoardView, initBoard } from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { deleteBoardSnapshot, readBoardSnapshot, writeBoardSnapshot } from './board-snapshot'

let n = 0
const freshPrefix = () => `board-snapshot-test-${++n}`

/** A board of `count` tasks spread over the default columns, `trashed` of them deleted. */
function board(count: number, trashed = 0) {
  const doc = new Y.Doc()
  initBoard(doc, { name: 'Snapshot' })
  const columns = getBoardView(doc).columns.map((c) => c.id)
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const r = createTask(doc, { columnId: columns[i % columns.length]!, title: `task ${i}` })
    if (!r.ok) throw new Error(r.error.message)
    ids.push(r.value.id)
  }
  for (const id of ids.slice(0, trashed)) deleteTask(doc, id)
  return getBoardView(doc)
}

describe('board snapshot', () => {
  it('reads back the view it wrote, tasks in their columns and trash (several parts)', async () => {
    const prefix = freshPrefix()
    const view = board(1_234, 7)
    await writeBoardSnapshot(prefix, 'p1', view)
    const read = (await readBoardSnapshot(prefix, 'p1'))?.view
    expect(read).toEqual(view)
    expect(read?.columns.map((c) => c.tasks.length)).toEqual(
      view.columns.map((c) => c.tasks.length),
    )
    expect(read?.trash).toHaveLength(7)
  })

  it('a smaller board written over a bigger one leaves no tasks of the old one', async () => {
    const prefix = freshPrefix()
    await writeBoardSnapshot(prefix, 'p1', board(1_100))
    const small = board(3)
    await writeBoardSnapshot(prefix, 'p1', small)
    expect((await readBoardSnapshot(prefix, 'p1'))?.view).toEqual(small)
  })

  it('keeps projects apart, and deleting one removes its tasks only', async () => {
    const prefix = freshPrefix()
    const a = board(600)
    const b = board(5)
    await writeBoardSnapshot(prefix, 'a', a)
    await writeBoardSnapshot(prefix, 'b', b)
    await deleteBoardSnapshot(prefix, 'a')
    expect(await readBoardSnapshot(prefix, 'a')).toBeNull()
    expect((await readBoardSnapshot(prefix, 'b'))?.view).toEqual(b)
  })

  it('an empty board round-trips; no snapshot reads as null', async () => {
    const prefix = freshPrefix()
    const empty = board(0)
    await writeBoardSnapshot(prefix, 'p1', empty)
    expect((await readBoardSnapshot(prefix, 'p1'))?.view).toEqual(empty)
    expect(await readBoardSnapshot(prefix, 'p2')).toBeNull()
  })

  it('keeps the state of the document the view was derived from, when given', async () => {
    const prefix = freshPrefix()
    const doc = new Y.Doc()
    initBoard(doc, { name: 'State' })
    const state = Y.snapshot(doc)
    await writeBoardSnapshot(prefix, 'p1', getBoardView(doc), state)
    const read = await readBoardSnapshot(prefix, 'p1')
    expect(read?.docState && Y.equalSnapshots(read.docState, state)).toBe(true)
    await writeBoardSnapshot(prefix, 'p1', getBoardView(doc))
    expect((await readBoardSnapshot(prefix, 'p1'))?.docState).toBeNull()
  })
})
