import 'fake-indexeddb/auto'
import { createTask, deleteTask, getBoardView, initBoard } from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { deleteBoardSnapshot, readBoardSnapshot, writeBoardSnapshot } from './board-snapshot'

let n = 0
const freshPrefix = () => `board-snapshot-test-${++n}`

/** A board of `count` tasks spread over its columns, `trashed` of them deleted. */
function board(count: number, trashed = 0) {
  const doc = new Y.Doc()
  initBoard(doc, { name: 'Snapshot board' })
  const columns = getBoardView(doc).columns
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const made = createTask(doc, { columnId: columns[i % columns.length]!.id, title: `Task ${i}` })
    if (made.ok) ids.push(made.value.id)
  }
  for (const id of ids.slice(0, trashed)) deleteTask(doc, id)
  return getBoardView(doc)
}

describe('board snapshot', () => {
  it('reads back the view it wrote, every column and the trash in order', async () => {
    const prefix = freshPrefix()
    const view = board(1_300, 40)
    await writeBoardSnapshot(prefix, 'p1', view)
    expect(await readBoardSnapshot(prefix, 'p1')).toEqual(view)
  })

  it('reads the latest of two writes when the second has fewer tasks', async () => {
    const prefix = freshPrefix()
    await writeBoardSnapshot(prefix, 'p1', board(1_300))
    const smaller = board(3)
    await writeBoardSnapshot(prefix, 'p1', smaller)
    expect(await readBoardSnapshot(prefix, 'p1')).toEqual(smaller)
  })

  it('keeps projects apart and forgets a deleted one', async () => {
    const prefix = freshPrefix()
    const a = board(600)
    const b = board(5)
    await writeBoardSnapshot(prefix, 'a', a)
    await writeBoardSnapshot(prefix, 'b', b)
    await deleteBoardSnapshot(prefix, 'a')
    expect(await readBoardSnapshot(prefix, 'a')).toBeNull()
    expect(await readBoardSnapshot(prefix, 'b')).toEqual(b)
  })

  it('reads nothing for a project never written', async () => {
    expect(await readBoardSnapshot(freshPrefix(), 'none')).toBeNull()
  })
})
