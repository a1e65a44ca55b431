import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addChecklistItem, updateChecklistItem } from './checklist.js'
import { createTask, deleteTask, moveTask, updateTask } from './tasks.js'
import { columnIds, replicas, send } from './test/replicas.js'
import { createBoardViewStore } from './view-store.js'
import { getBoardView } from './views.js'

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

describe('board view store', () => {
  it('keeps untouched columns and cards identical objects after an edit', () => {
    const [doc] = replicas(1)
    const [todo, doing] = columnIds(doc!)
    const a = must(createTask(doc!, { columnId: todo!, title: 'a' })).id
    must(createTask(doc!, { columnId: todo!, title: 'b' }))
    must(createTask(doc!, { columnId: doing!, title: 'c' }))
    const store = createBoardViewStore(doc!)
    const before = store.getSnapshot()
    let calls = 0
    store.subscribe(() => calls++)
    must(updateTask(doc!, a, { priority: 'high' }))
    const after = store.getSnapshot()
    expect(calls).toBe(1)
    expect(after).not.toBe(before)
    expect(after.columns[1]).toBe(before.columns[1])
    expect(after.columns[0]!.tasks[1]).toBe(before.columns[0]!.tasks[1])
    expect(after.columns[0]!.tasks[0]!.priority).toBe('high')
    expect(after).toEqual(getBoardView(doc!))
  })

  it('does not notify when an edit changes nothing a card shows', () => {
    const [doc] = replicas(1)
    const id = must(createTask(doc!, { columnId: columnIds(doc!)[0]!, title: 'a' })).id
    const store = createBoardViewStore(doc!)
    // updatedAt changes on a description edit, so cards do re-render; a no-op transaction does not.
    let calls = 0
    store.subscribe(() => calls++)
    doc!.transact(() => {})
    expect(calls).toBe(0)
    must(updateTask(doc!, id, { description: 'x' }))
    expect(store.getSnapshot()).toEqual(getBoardView(doc!))
  })

  it('keeps every other card and column identical when a description or checklist item changes', () => {
    const [doc] = replicas(1)
    const [todo, doing] = columnIds(doc!)
    const a = must(createTask(doc!, { columnId: todo!, title: 'a' })).id
    must(createTask(doc!, { columnId: todo!, title: 'b' }))
    must(createTask(doc!, { columnId: doing!, title: 'c' }))
    const item = must(addChecklistItem(doc!, a, { text: 'step' })).id
    const store = createBoardViewStore(doc!)
    const before = store.getSnapshot()
    must(updateTask(doc!, a, { description: 'longer text' }))
    must(updateChecklistItem(doc!, a, item, { text: 'step, renamed' }))
    const after = store.getSnapshot()
    expect(after.columns[1]).toBe(before.columns[1])
    expect(after.columns[0]!.tasks[1]).toBe(before.columns[0]!.tasks[1])
    // The edited task's card data is unchanged but for its edit time (cards compare fields).
    const { updatedAt: _b, ...cardBefore } = before.columns[0]!.tasks[0]!
    const { updatedAt: _a, ...cardAfter } = after.columns[0]!.tasks[0]!
    expect(cardAfter).toEqual(cardBefore)
    expect(after).toEqual(getBoardView(doc!))
  })

  it('follows moves, deletes and remote updates like a full recompute', () => {
    const [a, b] = replicas(2)
    const [todo, doing, done] = columnIds(a!)
    const ids = Array.from({ length: 6 }, (_, i) =>
      must(createTask(a!, { columnId: todo!, title: `t${i}` })),
    ).map((r) => r.id)
    send(a!, b!)
    const store = createBoardViewStore(a!)
    must(moveTask(a!, ids[0]!, { columnId: doing!, index: 0 }))
    must(moveTask(a!, ids[1]!, { columnId: todo!, index: 4 }))
    must(deleteTask(a!, ids[2]!))
    must(moveTask(b!, ids[3]!, { columnId: done! }))
    must(createTask(b!, { columnId: doing!, title: 'remote' }))
    Y.applyUpdate(a!, Y.encodeStateAsUpdate(b!, Y.encodeStateVector(a!)), 'remote')
    expect(store.getSnapshot()).toEqual(getBoardView(a!))
    expect(store.getSnapshot().trash.map((t) => t.id)).toEqual([ids[2]])
  })
})
