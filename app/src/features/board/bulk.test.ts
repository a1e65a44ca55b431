import { createTask, getBoardView, initBoard, updateTask } from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { bulkDelete, bulkMove, bulkUpdate, toggledMembers } from './bulk'
import { undoManagerOf } from './undo'

function board() {
  const doc = new Y.Doc()
  initBoard(doc, { name: 'B' })
  const [todo, , done] = getBoardView(doc).columns
  const ids = ['one', 'two', 'three'].map((title) => {
    const r = createTask(doc, { columnId: todo!.id, title })
    if (!r.ok) throw new Error(r.error.message)
    return r.value.id
  })
  const um = undoManagerOf(doc)
  um.clear()
  return { doc, ids, todo: todo!, done: done!, um }
}

const task = (doc: Y.Doc, id: string) =>
  getBoardView(doc)
    .columns.flatMap((c) => c.tasks)
    .find((t) => t.id === id)

describe('bulk edits', () => {
  it('set the priority of several tasks in one transaction and one undo step', () => {
    const { doc, ids, um } = board()
    updateTask(doc, ids[2]!, { priority: 'low' })
    let transactions = 0
    doc.on('afterTransaction', () => transactions++)
    bulkUpdate(doc, ids.slice(0, 2), () => ({ priority: 'urgent' }), { userId: 'u1' })
    expect(transactions).toBe(1)
    expect(ids.map((id) => task(doc, id)?.priority)).toEqual(['urgent', 'urgent', 'low'])
    um.undo()
    // Both restored by one undo; the edit made just before (within the capture timeout) stays.
    expect(ids.map((id) => task(doc, id)?.priority)).toEqual(['none', 'none', 'low'])
    um.redo()
    expect(ids.map((id) => task(doc, id)?.priority)).toEqual(['urgent', 'urgent', 'low'])
  })

  it('move several tasks to a column, undone together', () => {
    const { doc, ids, todo, done, um } = board()
    bulkMove(doc, [ids[0]!, ids[2]!], done.id, { userId: 'u1' })
    expect(
      getBoardView(doc)
        .columns.find((c) => c.id === done.id)
        ?.tasks.map((t) => t.title),
    ).toEqual(['one', 'three'])
    um.undo()
    expect(
      getBoardView(doc)
        .columns.find((c) => c.id === todo.id)
        ?.tasks.map((t) => t.title),
    ).toEqual(['one', 'two', 'three'])
  })

  it('trash several tasks, restored by one undo', () => {
    const { doc, ids, um } = board()
    bulkDelete(doc, ids, { userId: 'u1' })
    expect(getBoardView(doc).columns.flatMap((c) => c.tasks)).toHaveLength(0)
    um.undo()
    expect(getBoardView(doc).columns.flatMap((c) => c.tasks)).toHaveLength(3)
  })

  it('toggling a member adds it to all unless all have it', () => {
    expect(toggledMembers([['a'], []], 'a')(['x'])).toEqual(['x', 'a'])
    expect(toggledMembers([['a'], ['a', 'b']], 'a')(['a', 'b'])).toEqual(['b'])
  })
})
