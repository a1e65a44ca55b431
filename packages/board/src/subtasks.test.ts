import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addChecklistItem, readChecklist } from './checklist.js'
import { createColumn } from './columns.js'
import { roots, subMap } from './schema.js'
import {
  convertChecklistItemToSubtask,
  getAncestors,
  getSubtaskProgress,
  getSubtasks,
  getTask,
  moveSubtask,
  readTaskFields,
  setParent,
} from './subtasks.js'
import { createTask, deleteTask, moveTask, restoreTask, updateTask } from './tasks.js'
import { columnIds, replicas, send } from './test/replicas.js'
import { compareParentRecords, type ParentRecord, TaskTree, type TreeNodeInput } from './tree.js'
import { boardViewStore, createBoardViewStore } from './view-store.js'
import { getBoardView } from './views.js'

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

const titles = (list: readonly { title: string }[]) => list.map((t) => t.title)

describe('subtasks', () => {
  it('creates subtasks three levels deep, with depth, breadcrumb, ancestors and progress', () => {
    const [doc] = replicas(1)
    const [todo, , done] = columnIds(doc!)
    const store = createBoardViewStore(doc!)
    const a = must(createTask(doc!, { columnId: todo!, title: 'A' })).id
    const b = must(createTask(doc!, { title: 'B', parentId: a, estimate: 3 })).id
    const c = must(createTask(doc!, { title: 'C', parentId: b })).id
    const d = must(createTask(doc!, { title: 'D', parentId: c, columnId: done! })).id
    expect(titles(getSubtasks(doc!, a))).toEqual(['B'])
    expect(getTask(doc!, d)).toMatchObject({ parentId: c, depth: 3, parentTitle: 'C' })
    expect(getAncestors(doc!, d).map((x) => x.title)).toEqual(['A', 'B', 'C'])
    expect(getTask(doc!, d)!.ancestors.map((x) => x.title)).toEqual(['A', 'B', 'C'])
    expect(getSubtaskProgress(doc!, c)).toEqual({ done: 1, total: 1, points: 0, donePoints: 0 })
    expect(getSubtaskProgress(doc!, a)).toEqual({ done: 0, total: 1, points: 3, donePoints: 0 })
    // The subtask without a column starts in the first todo column.
    expect(getTask(doc!, b)!.columnId).toBe(todo)
    // Progress follows a subtask into a done column; the store agrees with a full compute.
    must(moveTask(doc!, b, { columnId: done! }))
    expect(getSubtaskProgress(doc!, a)).toEqual({ done: 1, total: 1, points: 3, donePoints: 3 })
    must(updateTask(doc!, a, { title: 'A2' }))
    expect(getTask(doc!, b)!.parentTitle).toBe('A2')
    expect(store.getSnapshot()).toEqual(getBoardView(doc!))
    store.destroy()
  })

  it('re-parents, reorders and refuses cycles', () => {
    const [doc] = replicas(1)
    const [todo] = columnIds(doc!)
    const p = must(createTask(doc!, { columnId: todo!, title: 'P' })).id
    const ids = ['x', 'y', 'z'].map((t) => must(createTask(doc!, { title: t, parentId: p })).id)
    expect(titles(getSubtasks(doc!, p))).toEqual(['x', 'y', 'z'])
    must(moveSubtask(doc!, ids[2]!, 0))
    expect(titles(getSubtasks(doc!, p))).toEqual(['z', 'x', 'y'])
    must(setParent(doc!, ids[0]!, ids[1]!))
    expect(titles(getSubtasks(doc!, p))).toEqual(['z', 'y'])
    expect(getTask(doc!, ids[0]!)!.depth).toBe(2)
    const r = setParent(doc!, p, ids[0]!)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.code).toBe('invalid')
    expect(setParent(doc!, p, p).ok).toBe(false)
    must(setParent(doc!, ids[1]!, null))
    expect(getTask(doc!, ids[1]!)!.parentId).toBe(null)
    expect(getTask(doc!, ids[0]!)!.depth).toBe(1)
    expect(boardViewStore(doc!).getSnapshot()).toEqual(getBoardView(doc!))
  })

  it('trashes and restores a subtree in one transaction each', () => {
    const [doc] = replicas(1)
    const [todo] = columnIds(doc!)
    const p = must(createTask(doc!, { columnId: todo!, title: 'P' })).id
    const c = must(createTask(doc!, { title: 'C', parentId: p })).id
    const g = must(createTask(doc!, { title: 'G', parentId: c })).id
    const alone = must(createTask(doc!, { title: 'alone', parentId: p })).id
    must(deleteTask(doc!, alone))
    let txs = 0
    doc!.on('afterTransaction', () => txs++)
    must(deleteTask(doc!, p))
    expect(txs).toBe(1)
    expect(
      getBoardView(doc!)
        .trash.map((t) => t.title)
        .sort(),
    ).toEqual(['C', 'G', 'P', 'alone'])
    must(restoreTask(doc!, p))
    expect(txs).toBe(2)
    expect(getTask(doc!, g)!.deletedAt).toBe(null)
    expect(getTask(doc!, g)!.depth).toBe(2)
    // A subtask trashed on its own before stays in the trash.
    expect(getTask(doc!, alone)!.deletedAt).not.toBe(null)
    expect(titles(getSubtasks(doc!, p))).toEqual(['C'])
    expect(getTask(doc!, c)!.deletedAt).toBe(null)
  })

  it('turns a checklist item into a subtask, keeping its text and done state', () => {
    const [doc] = replicas(1)
    const [todo] = columnIds(doc!)
    const done2 = must(createColumn(doc!, { name: 'Shipped', category: 'done' })).id
    const p = must(createTask(doc!, { columnId: todo!, title: 'P' })).id
    const open = must(addChecklistItem(doc!, p, { text: 'write docs' })).id
    const ticked = must(addChecklistItem(doc!, p, { text: 'run tests', done: true })).id
    const s1 = must(convertChecklistItemToSubtask(doc!, p, open, { now: 1000 })).id
    const s2 = must(convertChecklistItemToSubtask(doc!, p, ticked, { now: 2000 })).id
    expect(readChecklist(subMap(roots(doc!).tasks.get(p)!, 'checklist'))).toEqual([])
    expect(getTask(doc!, s1)).toMatchObject({ title: 'write docs', columnId: todo, parentId: p })
    const t2 = getTask(doc!, s2)!
    expect(t2.title).toBe('run tests')
    expect(t2.columnId).not.toBe(todo)
    expect(t2.completedAt).toBe(2000)
    expect([columnIds(doc!)[2], done2]).toContain(t2.columnId)
    expect(getSubtaskProgress(doc!, p)).toMatchObject({ done: 1, total: 2 })
  })
})

// The hierarchy rules stated plainly, recomputed from scratch: the incremental TaskTree must
// agree with this after every change.
function referenceParents(nodes: Map<string, TreeNodeInput>): Map<string, string | null> {
  const edge = (x: string) => {
    const p = nodes.get(x)?.rec?.parentId
    return p != null && p !== x && nodes.has(p) ? p : null
  }
  const ignored = new Set<string>()
  for (const start of nodes.keys()) {
    // Walk at most |nodes| steps: in a functional graph that lands on a cycle if there is one.
    let cur: string | null = start
    for (let i = 0; i < nodes.size && cur !== null; i++) cur = edge(cur)
    if (cur === null) continue
    const cycle = [cur]
    for (let n = edge(cur)!; n !== cur; n = edge(n)!) cycle.push(n)
    let newest = cycle[0]!
    for (const m of cycle) {
      const c = compareParentRecords(nodes.get(m)!.rec!, nodes.get(newest)!.rec!)
      if (c > 0 || (c === 0 && m > newest)) newest = m
    }
    ignored.add(newest)
  }
  const out = new Map<string, string | null>()
  for (const [x, n] of nodes) {
    const p = edge(x)
    out.set(x, p === null || ignored.has(x) || (!n.deleted && nodes.get(p)!.deleted) ? null : p)
  }
  return out
}

describe('TaskTree (incremental) agrees with the rules recomputed from scratch', () => {
  it('after every change of a task, and reports exactly the tasks whose parent changed', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f']
    const change = fc.record({
      id: fc.constantFrom(...ids),
      gone: fc.boolean(),
      deleted: fc.boolean(),
      parent: fc.option(fc.constantFrom(...ids, 'missing'), { nil: null }),
      noRecord: fc.boolean(),
      wallMs: fc.nat(5),
      counter: fc.nat(2),
      recId: fc.constantFrom('r1', 'r2', 'r3'),
    })
    fc.assert(
      fc.property(fc.array(change, { maxLength: 40 }), (changes) => {
        const tree = new TaskTree()
        const nodes = new Map<string, TreeNodeInput>()
        let prev = new Map<string, string | null>()
        for (const c of changes) {
          const rec: ParentRecord | null = c.noRecord
            ? null
            : {
                id: c.recId,
                parentId: c.parent,
                order: 'a0',
                hlc: { wallMs: c.wallMs, counter: c.counter },
                by: null,
              }
          const state = c.gone ? undefined : { deleted: c.deleted, rec }
          if (state) nodes.set(c.id, state)
          else nodes.delete(c.id)
          const changed = new Set<string>()
          tree.set(c.id, state, changed)
          const want = referenceParents(nodes)
          // The one-pass build of a board view agrees too.
          const whole = TaskTree.from(nodes)
          for (const id of ids) {
            expect(tree.parentOf(id)).toBe(want.get(id) ?? null)
            expect(whole.parentOf(id)).toBe(want.get(id) ?? null)
            const moved = (prev.get(id) ?? null) !== (want.get(id) ?? null)
            if (moved) expect(changed.has(id)).toBe(true)
          }
          for (const id of ids) {
            const kids = [...tree.childrenOf(id)].sort()
            expect(kids).toEqual(ids.filter((k) => want.get(k) === id))
          }
          prev = want
        }
      }),
      { numRuns: 500 },
    )
  })

  it("a tree built whole (a board view's full compute) then updated change by change stays right, child lists and depths included", () => {
    // The view store builds its tree with `TaskTree.from` and then follows edits with `set`:
    // the child sets `from` leaves to be built on first use must come out right from there.
    const ids = ['a', 'b', 'c', 'd', 'e', 'f']
    const change = fc.record({
      id: fc.constantFrom(...ids),
      gone: fc.boolean(),
      deleted: fc.boolean(),
      parent: fc.option(fc.constantFrom(...ids, 'missing'), { nil: null }),
      noRecord: fc.boolean(),
      wallMs: fc.nat(5),
      counter: fc.nat(2),
      recId: fc.constantFrom('r1', 'r2', 'r3'),
    })
    type Change = typeof change extends fc.Arbitrary<infer T> ? T : never
    const toState = (c: Change): TreeNodeInput | undefined =>
      c.gone
        ? undefined
        : {
            deleted: c.deleted,
            rec: c.noRecord
              ? null
              : {
                  id: c.recId,
                  parentId: c.parent,
                  order: 'a0',
                  hlc: { wallMs: c.wallMs, counter: c.counter },
                  by: null,
                },
          }
    fc.assert(
      fc.property(
        fc.array(change, { maxLength: 30 }),
        fc.array(change, { maxLength: 30 }),
        fc.boolean(),
        (before, after, readKidsFirst) => {
          const nodes = new Map<string, TreeNodeInput>()
          for (const c of before) {
            const state = toState(c)
            if (state) nodes.set(c.id, state)
            else nodes.delete(c.id)
          }
          const tree = TaskTree.from(nodes)
          // Child sets built before any update, or first built by an update.
          if (readKidsFirst) for (const id of ids) tree.childrenOf(id)
          for (const c of after) {
            const state = toState(c)
            if (state) nodes.set(c.id, state)
            else nodes.delete(c.id)
            tree.set(c.id, state, new Set())
          }
          const want = referenceParents(nodes)
          const depth = (id: string): number => {
            let d = 0
            for (let p = want.get(id) ?? null; p !== null; p = want.get(p) ?? null) d++
            return d
          }
          for (const id of ids) {
            expect(tree.parentOf(id)).toBe(want.get(id) ?? null)
            expect([...tree.childrenOf(id)].sort()).toEqual(ids.filter((k) => want.get(k) === id))
            if (nodes.has(id)) expect(tree.depthOf(id)).toBe(depth(id))
          }
        },
      ),
      { numRuns: 500 },
    )
  })

  it('readTaskFields gives the own fields getTask gives, without a view store on the doc', () => {
    const [doc, plain] = replicas(2)
    const [todo, , done] = columnIds(doc!)
    const a = must(createTask(doc!, { columnId: todo!, title: 'A', priority: 'high' })).id
    const b = must(
      createTask(doc!, { title: 'B', parentId: a, estimate: 3, dueDate: '2026-01-02' }),
    ).id
    must(addChecklistItem(doc!, b, { text: 'one' }))
    must(moveTask(doc!, b, { columnId: done! }))
    must(updateTask(doc!, a, { description: 'about A' }))
    // `plain` holds the same state and never had getTask (no board view store) called on it.
    send(doc!, plain!)
    for (const id of [a, b]) {
      const {
        ancestors: _a,
        parentId: _p,
        depth: _d,
        parentTitle: _t,
        subtaskProgress: _s,
        ...own
      } = getTask(doc!, id)!
      expect(readTaskFields(plain!, id)).toEqual(own)
    }
    expect(readTaskFields(plain!, 'no-such-task')).toBeUndefined()
  })
})
