import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { initBoard } from './board.js'
import { listComments } from './comments.js'
import { importHierarchy, importTasks, readBodyNodes } from './import.js'
import { createLabel } from './labels.js'
import { getSubtasks, getTask } from './subtasks.js'
import { createTask } from './tasks.js'
import { getBoardView } from './views.js'

function board() {
  const doc = new Y.Doc()
  initBoard(doc, { name: 'B' }, { now: 1 })
  const [todo, , done] = getBoardView(doc).columns
  return { doc, todo: todo!.id, done: done!.id }
}

describe('importTasks', () => {
  it('appends whole tasks after the column’s tasks, in order, with their own timestamps', () => {
    const { doc, todo } = board()
    createTask(doc, { columnId: todo, title: 'Existing' })
    const label = createLabel(doc, { name: 'bug', color: '#ef4444' })
    if (!label.ok) throw new Error()
    const r = importTasks(
      doc,
      todo,
      [
        {
          title: 'First',
          createdAt: 1000,
          updatedAt: 2000,
          labelIds: [label.value.id],
          checklist: [
            { text: 'a', done: true },
            { text: 'b', done: false },
          ],
          comments: [{ body: 'hi', createdAt: 1500, reactions: { '👍': ['u2'] } }],
        },
        { title: 'Second', createdAt: 1100, deletedAt: 3000 },
        { title: 'Third', createdAt: 1200 },
      ],
      { userId: 'u1', now: 9999 },
    )
    expect(r.ok).toBe(true)
    const view = getBoardView(doc)
    expect(view.columns[0]!.tasks.map((t) => t.title)).toEqual(['Existing', 'First', 'Third'])
    expect(view.trash.map((t) => [t.title, t.deletedAt])).toEqual([['Second', 3000]])
    const first = getTask(doc, view.columns[0]!.tasks[1]!.id)!
    expect(first).toMatchObject({ createdAt: 1000, updatedAt: 2000, createdBy: 'u1' })
    expect(first.labelIds).toEqual([label.value.id])
    expect(first.checklistItems.map((i) => [i.text, i.done])).toEqual([
      ['a', true],
      ['b', false],
    ])
    const [c] = listComments(doc, first.id)
    expect(c).toMatchObject({
      body: 'hi',
      authorId: 'u1',
      createdAt: 1500,
      reactions: { '👍': ['u2'] },
    })
  })

  it('completes tasks imported into a done column at their completion time', () => {
    const { doc, done } = board()
    importTasks(doc, done, [{ title: 'Shipped', createdAt: 10, updatedAt: 30, completedAt: 20 }])
    expect(getBoardView(doc).columns[2]!.tasks[0]!.completedAt).toBe(20)
  })

  it('refuses the whole batch when one task is invalid, writing nothing', () => {
    const { doc, todo } = board()
    const before = Y.encodeStateVector(doc)
    const r = importTasks(doc, todo, [
      { title: 'Fine', createdAt: 1 },
      { title: 'Bad', createdAt: 1, dueDate: 'tomorrow' },
    ])
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid' } })
    expect(r.ok ? '' : r.error.message).toMatch(/^task 1: /)
    expect(Y.encodeStateVector(doc)).toEqual(before)
    const noUser = importTasks(doc, todo, [
      { title: 'x', createdAt: 1, comments: [{ body: 'c', createdAt: 1 }] },
    ])
    expect(noUser.ok).toBe(false)
  })

  it('writes a rich-text body that reads back node for node', () => {
    const { doc, todo } = board()
    const body = [
      { type: 'heading', attrs: { level: 2 }, content: [{ text: 'Title' }] },
      {
        type: 'paragraph',
        content: [{ text: 'bold', marks: { bold: {} } }, { text: ' plain' }],
      },
    ]
    const r = importTasks(doc, todo, [{ title: 'Rich', createdAt: 1, body }])
    if (!r.ok) throw new Error(r.error.message)
    expect(readBodyNodes(doc, r.value.ids[0]!)).toEqual(body)
    expect(getTask(doc, r.value.ids[0]!)!.description).toBe('Title\nbold plain')
  })
})

describe('importHierarchy', () => {
  it('rebuilds parents in the given subtask order, trashed tasks included, and refuses links that are not a tree', () => {
    const { doc, todo } = board()
    const r = importTasks(doc, todo, [
      { title: 'P', createdAt: 1 },
      { title: 'B', createdAt: 2 },
      { title: 'A', createdAt: 3 },
      { title: 'G', createdAt: 4 },
      { title: 'Gone', createdAt: 5, deletedAt: 9 },
      { title: 'Gone child', createdAt: 6, deletedAt: 9 },
    ])
    if (!r.ok) throw new Error(r.error.message)
    const [p, b, a, g, gone, goneChild] = r.value.ids as [
      string,
      string,
      string,
      string,
      string,
      string,
    ]
    const h = importHierarchy(
      doc,
      [
        { taskId: a, parentId: p },
        { taskId: b, parentId: p },
        { taskId: g, parentId: a },
        { taskId: goneChild, parentId: gone },
        // Not a tree: a cycle through A, a second parent, itself, a missing task.
        { taskId: p, parentId: g },
        { taskId: a, parentId: b },
        { taskId: b, parentId: b },
        { taskId: 'nope', parentId: p },
      ],
      { userId: 'u1' },
    )
    if (!h.ok) throw new Error(h.error.message)
    expect(h.value.refused.map((l) => l.taskId)).toEqual([p, a, b, 'nope'])
    // Subtask order is the links' order, not the column's (B came first there).
    expect(getSubtasks(doc, p).map((t) => t.title)).toEqual(['A', 'B'])
    expect(getTask(doc, g)).toMatchObject({ parentId: a, depth: 2 })
    expect(getTask(doc, p)?.parentId).toBeNull()
    // Links between trashed tasks are written too (setParent refuses them).
    expect(getTask(doc, goneChild)?.parentId).toBe(gone)
  })
})
