import {
  addRelation,
  createTask,
  deleteTask,
  getBoardView,
  initBoard,
  moveTask,
} from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { blockedMoveQuestion } from './blocked-move'

function board() {
  const doc = new Y.Doc()
  initBoard(doc, { name: 'B' })
  const [todo, doing, done] = getBoardView(doc).columns
  const id = (title: string) => {
    const r = createTask(doc, { columnId: todo!.id, title })
    if (!r.ok) throw new Error(r.error.message)
    return r.value.id
  }
  return { doc, id, doing: doing!.id, done: done!.id, doneName: done!.name }
}

describe('moving a blocked task to a done column', () => {
  it('asks, naming the open blockers and the column', () => {
    const { doc, id, done, doneName } = board()
    const [a, c, b] = [id('Design'), id('Review'), id('Build')]
    addRelation(doc, b, 'blocked_by', a)
    addRelation(doc, b, 'blocked_by', c)
    expect(blockedMoveQuestion(doc, [b], done)).toBe(
      `Blocked by “Design”, “Review” — move to ${doneName} anyway?`,
    )
  })

  it('does not ask for a column that is not done, a blocker that is done or trashed, or a reorder inside done', () => {
    const { doc, id, doing, done } = board()
    const [a, b] = [id('Design'), id('Build')]
    addRelation(doc, b, 'blocked_by', a)
    expect(blockedMoveQuestion(doc, [b], doing)).toBeNull()
    moveTask(doc, b, { columnId: done })
    expect(blockedMoveQuestion(doc, [b], done)).toBeNull()
    const c = id('Ship')
    addRelation(doc, c, 'blocked_by', a)
    deleteTask(doc, a)
    expect(blockedMoveQuestion(doc, [c], done)).toBeNull()
  })

  it('names each blocked task of a bulk move', () => {
    const { doc, id, done, doneName } = board()
    const [a, b, c, d] = [id('A'), id('B'), id('C'), id('D')]
    addRelation(doc, b, 'blocked_by', a)
    addRelation(doc, c, 'blocked_by', a)
    expect(blockedMoveQuestion(doc, [b, c, d], done)).toBe(
      `“B” is blocked by “A”; “C” is blocked by “A” — move to ${doneName} anyway?`,
    )
  })
})
