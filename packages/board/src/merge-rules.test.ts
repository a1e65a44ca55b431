import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { initBoard, openBoard, readMeta, updateBoardMeta } from './board.js'
import {
  addChecklistItem,
  deleteChecklistItem,
  moveChecklistItem,
  restoreChecklistItem,
  updateChecklistItem,
} from './checklist.js'
import { createColumn, deleteColumn, moveColumn, restoreColumn, updateColumn } from './columns.js'
import * as fieldsApi from './custom-fields.js'
import { createLabel, deleteLabel, listLabels, restoreLabel, updateLabel } from './labels.js'
import { compareMoves, type MoveRecord, winningMove } from './placement.js'
import { projectBoard } from './projection.js'
import { addRelation, getRelations, isBlocked, listRelations, removeRelation } from './relations.js'
import { getTaskBody } from './rich-text.js'
import { roots } from './schema.js'
import {
  convertChecklistItemToSubtask,
  getSubtasks,
  getTask,
  moveSubtask,
  setParent,
} from './subtasks.js'
import {
  createTask,
  deleteTask,
  dismissReplacedMove,
  editTaskText,
  getReplacedMoves,
  getTaskText,
  moveTask,
  restoreTask,
  updateTask,
} from './tasks.js'
import { setStoredVersion, writeV1Task } from './test/legacy.js'
import { columnIds, occurrences, replicas, send, syncAll } from './test/replicas.js'
import { readParentRecords } from './tree.js'
import { createBoardViewStore } from './view-store.js'
import { getBoardView } from './views.js'

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

function titlesIn(doc: Y.Doc, col: number): string[] {
  return getBoardView(doc).columns[col]!.tasks.map((t) => t.title)
}

describe('merge rules (docs/document-schema.md)', () => {
  it('B1: concurrent edits of the board name and description both land, last writer per field', () => {
    const [a, b] = replicas(2)
    must(updateBoardMeta(a!, { name: 'Launch' }))
    must(updateBoardMeta(b!, { description: 'Q1 plan' }))
    syncAll([a!, b!])
    expect(readMeta(a!)).toEqual(readMeta(b!))
    // A board initialised today is at schema v3 (move records, B10).
    expect(readMeta(a!)).toMatchObject({ name: 'Launch', description: 'Q1 plan', schemaVersion: 3 })
  })

  it('B2: tasks inserted concurrently at the same place get one order on every replica', () => {
    const [a, b, c] = replicas(3)
    const todo = columnIds(a!)[0]!
    must(createTask(a!, { columnId: todo, title: 'first' }))
    syncAll([a!, b!, c!])
    // All three insert at index 0 at once: their keys are equal, ties are broken by id.
    must(createTask(a!, { columnId: todo, title: 'from a', index: 0 }))
    must(createTask(b!, { columnId: todo, title: 'from b', index: 0 }))
    must(createTask(c!, { columnId: todo, title: 'from c', index: 0 }))
    syncAll([a!, b!, c!])
    const order = titlesIn(a!, 0)
    expect(order).toHaveLength(4)
    expect(order[3]).toBe('first')
    expect(titlesIn(b!, 0)).toEqual(order)
    expect(titlesIn(c!, 0)).toEqual(order)
    // Inserting between tied keys still works and lands where asked.
    must(createTask(a!, { columnId: todo, title: 'between', index: 1 }))
    expect(titlesIn(a!, 0)[1]).toBe('between')
  })

  it('B3: a document from a newer schema is reported and left untouched', () => {
    const [a] = replicas(1)
    roots(a!).meta.set('schemaVersion', 99)
    const before = Y.encodeStateAsUpdate(a!)
    const r = openBoard(a!)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.code).toBe('newer_schema')
    expect(Y.encodeStateAsUpdate(a!)).toEqual(before)
  })

  it('B3: migrations run in order on open, once, and concurrent runs converge', () => {
    const [a, b] = replicas(2)
    const steps = [
      { to: 4, describe: 'add flag', up: (d: Y.Doc) => roots(d).meta.set('flag', true) },
      { to: 5, describe: 'rename', up: (d: Y.Doc) => roots(d).meta.set('name', 'Migrated') },
    ]
    expect(must(openBoard(a!, undefined, steps, 5))).toEqual({
      status: 'ready',
      schemaVersion: 5,
      migratedFrom: 3,
    })
    must(openBoard(b!, undefined, steps, 5))
    syncAll([a!, b!])
    expect(readMeta(a!)).toEqual(readMeta(b!))
    expect(roots(a!).meta.get('flag')).toBe(true)
    expect(readMeta(a!)).toMatchObject({ schemaVersion: 5, name: 'Migrated' })
    expect(must(openBoard(a!, undefined, steps, 5))).toMatchObject({ migratedFrom: null })
  })

  it('B4: columns created concurrently both exist', () => {
    const [a, b] = replicas(2)
    must(createColumn(a!, { name: 'Review', category: 'in_progress' }))
    must(createColumn(b!, { name: 'QA', category: 'in_progress' }))
    syncAll([a!, b!])
    const names = getBoardView(a!).columns.map((c) => c.name)
    expect(names).toHaveLength(5)
    expect(names).toEqual(expect.arrayContaining(['Review', 'QA']))
    expect(getBoardView(b!).columns.map((c) => c.name)).toEqual(names)
  })

  it('B5: concurrent column reorders give one order everywhere', () => {
    const [a, b] = replicas(2)
    const [todo, doing, done] = columnIds(a!)
    must(moveColumn(a!, done!, 0))
    must(moveColumn(b!, todo!, 2))
    syncAll([a!, b!])
    const order = columnIds(a!)
    expect(columnIds(b!)).toEqual(order)
    expect(new Set(order)).toEqual(new Set([todo, doing, done]))
  })

  it('B6: a column rename concurrent with its deletion leaves it deleted; other fields merge', () => {
    const [a, b] = replicas(2)
    const [, doing] = columnIds(a!)
    must(updateColumn(a!, doing!, { name: 'Doing' }))
    must(updateColumn(b!, doing!, { wipLimit: 3 }))
    syncAll([a!, b!])
    expect(getBoardView(b!).columns[1]).toMatchObject({ name: 'Doing', wipLimit: 3 })
    must(updateColumn(a!, doing!, { name: 'Working' }))
    must(deleteColumn(b!, doing!))
    syncAll([a!, b!])
    expect(columnIds(a!)).not.toContain(doing)
    expect(columnIds(b!)).toEqual(columnIds(a!))
  })

  it('B20: a restored column comes back under its id with its trashed tasks; concurrent restores give one column', () => {
    const [a, b] = replicas(2)
    const [todo, doing] = columnIds(a!)
    const before = getBoardView(a!).columns[1]!
    const { id } = must(createTask(a!, { columnId: doing!, title: 'Parked' }))
    must(deleteTask(a!, id))
    must(deleteColumn(a!, doing!))
    syncAll([a!, b!])
    const input = {
      id: doing!,
      name: before.name,
      category: before.category,
      wipLimit: 2,
      order: before.order,
    }
    must(restoreColumn(a!, input))
    must(restoreColumn(b!, { ...input, name: 'Doing again' }))
    must(updateTask(b!, id, { priority: 'high' }))
    syncAll([a!, b!])
    expect(columnIds(a!)).toEqual([todo, doing, columnIds(a!)[2]])
    expect(columnIds(b!)).toEqual(columnIds(a!))
    const col = getBoardView(a!).columns[1]!
    expect([before.name, 'Doing again']).toContain(col.name)
    expect(getBoardView(b!).columns[1]!.name).toBe(col.name)
    expect(col.wipLimit).toBe(2)
    must(restoreTask(a!, id))
    syncAll([a!, b!])
    expect(occurrences(b!, id)).toEqual([[doing, 0]])
    expect(getTask(b!, id)?.priority).toBe('high')
  })

  it('B7: concurrent edits of different task fields are all kept; one field: one winner', () => {
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const id = must(createTask(a!, { columnId: todo, title: 'Task' })).id
    syncAll([a!, b!])
    must(updateTask(a!, id, { priority: 'high', estimate: 3 }))
    must(updateTask(b!, id, { dueDate: '2026-12-24', estimate: 5 }))
    syncAll([a!, b!])
    const ta = getTask(a!, id)!
    expect(ta).toMatchObject({ priority: 'high', dueDate: '2026-12-24' })
    expect([3, 5]).toContain(ta.estimate)
    expect(getTask(b!, id)).toEqual(ta)
  })

  it('B19: updatedBy names the last editor who said who they are, and converges', () => {
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const id = must(createTask(a!, { columnId: todo, title: 'Task' }, { userId: 'ada' })).id
    expect(getTask(a!, id)!.updatedBy).toBe('ada')
    syncAll([a!, b!])
    must(updateTask(b!, id, { priority: 'low' }, { userId: 'bob' }))
    syncAll([a!, b!])
    expect(getTask(a!, id)!.updatedBy).toBe('bob')
    // An operation without a user keeps the last known editor.
    must(updateTask(a!, id, { priority: 'high' }))
    expect(getTask(a!, id)!.updatedBy).toBe('bob')
    must(updateTask(a!, id, { estimate: 1 }, { userId: 'ada', now: 10 }))
    must(updateTask(b!, id, { estimate: 2 }, { userId: 'bob', now: 10 }))
    syncAll([a!, b!])
    expect(['ada', 'bob']).toContain(getTask(a!, id)!.updatedBy)
    expect(getTask(b!, id)).toEqual(getTask(a!, id))
  })

  it('B8: concurrent typing in one title and description keeps both edits', () => {
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const id = must(createTask(a!, { columnId: todo, title: 'Fix bug', description: 'Steps:' })).id
    syncAll([a!, b!])
    must(editTaskText(a!, id, 'title', { index: 0, insert: 'Urgent: ' }))
    must(editTaskText(b!, id, 'title', { index: 7, insert: ' in login' }))
    must(updateTask(a!, id, { description: 'Steps: open app' }))
    must(updateTask(b!, id, { description: 'Known Steps:' }))
    syncAll([a!, b!])
    expect(getTask(a!, id)!.title).toBe('Urgent: Fix bug in login')
    expect(getTask(a!, id)!.description).toBe('Known Steps: open app')
    expect(getTask(b!, id)).toEqual(getTask(a!, id))
  })

  it('B8: concurrent typing in the plain description of a task from schema v1 keeps both edits', () => {
    const [a, b] = replicas(2)
    const id = writeV1Task(a!, { columnId: columnIds(a!)[0]!, title: 'Old', description: 'Steps:' })
    syncAll([a!, b!])
    must(editTaskText(a!, id, 'description', { index: 6, insert: ' open app' }))
    must(updateTask(b!, id, { description: 'Known Steps:' }))
    syncAll([a!, b!])
    expect(getTask(a!, id)).toMatchObject({ description: 'Known Steps: open app', richBody: false })
    expect(getTask(b!, id)).toEqual(getTask(a!, id))
  })

  it('B9: assignees and labels merge as sets (add wins over a concurrent remove)', () => {
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const bug = must(createLabel(a!, { name: 'bug', color: '#ef4444' })).id
    const ui = must(createLabel(a!, { name: 'ui', color: '#3b82f6' })).id
    const id = must(createTask(a!, { columnId: todo, title: 'T', assigneeIds: ['ann'] })).id
    syncAll([a!, b!])
    must(updateTask(a!, id, { assigneeIds: ['ann', 'bob'], labelIds: [bug] }))
    must(updateTask(b!, id, { assigneeIds: ['cat'], labelIds: [ui] }))
    syncAll([a!, b!])
    // a added bob; b removed ann and added cat; both label adds survive.
    expect(getTask(a!, id)!.assigneeIds).toEqual(['bob', 'cat'])
    expect(getTask(a!, id)!.labelIds).toEqual([bug, ui].sort())
    expect(getTask(b!, id)).toEqual(getTask(a!, id))
  })

  it('B10: concurrent moves of one task to different columns leave it in exactly one', () => {
    const [a, b, c] = replicas(3)
    const [todo, doing, done] = columnIds(a!)
    const id = must(createTask(a!, { columnId: todo!, title: 'Move me' })).id
    must(createTask(a!, { columnId: doing!, title: 'other' }))
    syncAll([a!, b!, c!])
    must(moveTask(a!, id, { columnId: doing!, index: 0 }))
    must(moveTask(b!, id, { columnId: done! }))
    must(moveTask(c!, id, { columnId: todo!, index: 0 }))
    syncAll([a!, b!, c!])
    const where = occurrences(a!, id)
    expect(where).toHaveLength(1)
    expect(occurrences(b!, id)).toEqual(where)
    expect(occurrences(c!, id)).toEqual(where)
  })

  // Issue 13: Bob (offline) moves a card to Review; Ada, later and online, moves it to
  // Done. Whichever Yjs client id is larger and whoever syncs first, Done stands.
  for (const [bobId, adaId, first] of [
    [9_001, 9_000, 'bob'],
    [9_000, 9_001, 'bob'],
    [9_001, 9_000, 'ada'],
    [9_000, 9_001, 'ada'],
  ] as const) {
    it(`B10: of concurrent moves the later one wins by its clock, not by Yjs client id (Bob's client id ${bobId > adaId ? 'higher' : 'lower'}, ${first} syncs first)`, () => {
      const [server, ada, bob] = replicas(3)
      const review = must(createColumn(server!, { name: 'Review', category: 'in_progress' })).id
      const [todo, , done] = columnIds(server!)
      const id = must(createTask(server!, { columnId: todo!, title: 'Spec' }, { now: 0 })).id
      syncAll([server!, ada!, bob!])
      bob!.clientID = bobId
      ada!.clientID = adaId
      must(moveTask(bob!, id, { columnId: review }, { now: 10_000, userId: 'bob' }))
      must(moveTask(ada!, id, { columnId: done! }, { now: 20_000, userId: 'ada' }))
      const order = first === 'bob' ? [bob!, ada!] : [ada!, bob!]
      for (const d of order) send(d, server!)
      send(server!, ada!)
      send(server!, bob!)
      for (const d of [server!, ada!, bob!]) expect(getTask(d, id)!.columnId).toBe(done)
      // Bob's replaced move is kept for his notice, with the column he saw.
      const replaced = getReplacedMoves(bob!, id)
      expect(replaced).toHaveLength(1)
      expect(replaced[0]!.move).toMatchObject({ by: 'bob', columnId: review, fromColumnId: todo })
      expect(replaced[0]!.replacedBy).toMatchObject({ by: 'ada', columnId: done })
      expect(getTask(ada!, id)!.replacedMovesBy).toEqual(['bob'])
    })
  }

  it('B10: a move made after seeing another wins, even from a device whose clock is behind', () => {
    const [ada, bob] = replicas(2)
    const [todo, doing, done] = columnIds(ada!)
    const id = must(createTask(ada!, { columnId: todo!, title: 'T' }, { now: 50_000 })).id
    must(moveTask(ada!, id, { columnId: done! }, { now: 60_000, userId: 'ada' }))
    syncAll([ada!, bob!])
    // Bob's clock is a minute behind, yet he saw Ada's move: his move is later.
    must(moveTask(bob!, id, { columnId: doing! }, { now: 1_000, userId: 'bob' }))
    syncAll([ada!, bob!])
    expect(getTask(ada!, id)!.columnId).toBe(doing)
    const winner = winningMove(roots(ada!).tasks.get(id)!)!
    expect(winner.hlc).toEqual({ wallMs: 60_000, counter: 1 })
    // A sequential move replaces nothing: nobody is told anything.
    expect(getReplacedMoves(ada!, id)).toEqual([])
  })

  it('B10: the person whose move was replaced keeps the notice until they dismiss it or move the task again', () => {
    const [ada, bob] = replicas(2)
    const [todo, doing, done] = columnIds(ada!)
    const id = must(createTask(ada!, { columnId: todo!, title: 'T' }, { now: 0 })).id
    syncAll([ada!, bob!])
    must(moveTask(bob!, id, { columnId: doing! }, { now: 1_000, userId: 'bob' }))
    must(moveTask(ada!, id, { columnId: done! }, { now: 2_000, userId: 'ada' }))
    syncAll([ada!, bob!])
    const [replaced] = getReplacedMoves(bob!, id)
    // Another move by Ada keeps Bob's notice; the winner itself cannot be dismissed.
    must(moveTask(ada!, id, { columnId: done!, index: 0 }, { now: 3_000, userId: 'ada' }))
    syncAll([ada!, bob!])
    expect(getTask(bob!, id)!.replacedMovesBy).toEqual(['bob'])
    const winner = getReplacedMoves(bob!, id)[0]!.replacedBy
    expect(dismissReplacedMove(bob!, id, winner.id)).toMatchObject({ error: { code: 'conflict' } })
    must(dismissReplacedMove(bob!, id, replaced!.move.id, { userId: 'bob' }))
    syncAll([ada!, bob!])
    expect(getReplacedMoves(ada!, id)).toEqual([])
    expect(getTask(ada!, id)!).toMatchObject({ columnId: done, replacedMovesBy: [] })
    // Moving the task again is seeing it: Bob's next move clears his own notice.
    must(moveTask(bob!, id, { columnId: doing! }, { now: 4_000, userId: 'bob' }))
    must(moveTask(ada!, id, { columnId: todo! }, { now: 5_000, userId: 'ada' }))
    syncAll([ada!, bob!])
    expect(getTask(bob!, id)!.replacedMovesBy).toEqual(['bob'])
    must(moveTask(bob!, id, { columnId: done! }, { now: 6_000, userId: 'bob' }))
    expect(getReplacedMoves(bob!, id)).toEqual([])
  })

  it('B10 (property): random moves on replicas with skewed clocks and partitions converge on the move with the greatest stamp, and a move always beats every move it saw', () => {
    const N = 3
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('move' as const),
        replica: fc.nat(N - 1),
        column: fc.nat(2),
        tick: fc.integer({ min: -50, max: 200 }),
      }),
      fc.record({
        kind: fc.constant('dismiss' as const),
        replica: fc.nat(N - 1),
        pick: fc.nat(5),
      }),
      fc.record({ kind: fc.constant('send' as const), from: fc.nat(N - 1), to: fc.nat(N - 1) }),
    )
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1_000, max: 1_000 }), { minLength: N, maxLength: N }),
        fc.array(step, { maxLength: 40 }),
        (skews, steps) => {
          const docs = replicas(N)
          const cols = columnIds(docs[0]!)
          const id = must(createTask(docs[0]!, { columnId: cols[0]!, title: 'T' }, { now: 0 })).id
          syncAll(docs)
          // Each replica's wall clock: its own skew, moving forward (or back) by steps.
          const clocks = skews.map((s) => 10_000 + s)
          const seen = docs.map(() => new Set<string>())
          const made = new Map<string, MoveRecord>()
          for (const st of steps) {
            if (st.kind === 'send') {
              send(docs[st.from]!, docs[st.to]!)
              for (const m of seen[st.from]!) seen[st.to]!.add(m)
              continue
            }
            const doc = docs[st.replica]!
            const task = roots(doc).tasks.get(id)!
            if (st.kind === 'dismiss') {
              const r = getReplacedMoves(doc, id)
              const target = r[st.pick % Math.max(1, r.length)]
              if (target) must(dismissReplacedMove(doc, id, target.move.id))
              continue
            }
            clocks[st.replica]! += st.tick
            const user = `u${st.replica}`
            must(
              moveTask(
                doc,
                id,
                { columnId: cols[st.column]! },
                { now: clocks[st.replica]!, userId: user },
              ),
            )
            const mine = winningMove(task)!
            for (const m of seen[st.replica]!)
              expect(compareMoves(mine, made.get(m)!)).toBeGreaterThan(0)
            made.set(mine.id, mine)
            seen[st.replica]!.add(mine.id)
          }
          syncAll(docs)
          const places = docs.map((d) => getTask(d, id))
          for (const p of places) expect(p).toEqual(places[0])
          const last = [...made.values()].sort(compareMoves).at(-1)
          if (last) {
            for (const d of docs) expect(winningMove(roots(d).tasks.get(id)!)!.id).toBe(last.id)
            expect(places[0]!.columnId).toBe(last.columnId)
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('B3 + B10: tasks from schema v2 keep their column through the v3 migration, and a stale copy never brings back an older one', () => {
    const [a, b, stale] = replicas(3)
    setStoredVersion(a!, 2)
    const [todo, doing, done] = columnIds(a!)
    const id = writeV1Task(a!, { columnId: todo!, title: 'Old', description: '' })
    syncAll([a!, b!, stale!])
    // A v2 client moves it (one `placement` value); `stale` does not hear of it.
    roots(b!).tasks.get(id)!.set('placement', { columnId: doing!, order: 'a0', completedAt: null })
    syncAll([a!, b!])
    for (const d of [a!, b!, stale!]) must(openBoard(d))
    syncAll([a!, b!, stale!])
    for (const d of [a!, b!, stale!]) expect(getTask(d, id)!.columnId).toBe(doing)
    // Any v3 move wins over the v2 value, whatever its clock, and deletes it.
    must(moveTask(stale!, id, { columnId: done! }, { now: 1 }))
    syncAll([a!, b!, stale!])
    for (const d of [a!, b!, stale!]) expect(getTask(d, id)!.columnId).toBe(done)
    expect(roots(a!).tasks.get(id)!.has('placement')).toBe(false)
  })

  it('B11: completedAt is set entering a done column and cleared leaving it, even when moves race', () => {
    const [a, b] = replicas(2)
    const [todo, doing, done] = columnIds(a!)
    const id = must(createTask(a!, { columnId: todo!, title: 'T' })).id
    must(moveTask(a!, id, { columnId: done! }, { now: 1000 }))
    expect(getTask(a!, id)!.completedAt).toBe(1000)
    must(moveTask(a!, id, { columnId: doing! }))
    expect(getTask(a!, id)!.completedAt).toBeNull()
    syncAll([a!, b!])
    must(moveTask(a!, id, { columnId: done! }, { now: 2000 }))
    must(moveTask(b!, id, { columnId: todo! }, { now: 2001 }))
    syncAll([a!, b!])
    const t = getTask(a!, id)!
    const category = getBoardView(a!).columns.find((c) => c.id === t.columnId)!.category
    expect(t.completedAt === null).toBe(category !== 'done')
    expect(getTask(b!, id)).toEqual(t)
  })

  it('B12: a task added to a concurrently deleted column is not lost: it shows in the first column', () => {
    const [a, b] = replicas(2)
    const [todo, doing] = columnIds(a!)
    must(deleteColumn(a!, doing!))
    const id = must(createTask(b!, { columnId: doing!, title: 'Orphan' })).id
    syncAll([a!, b!])
    expect(occurrences(a!, id)).toEqual([[todo, 0]])
    expect(occurrences(b!, id)).toEqual([[todo, 0]])
  })

  it('B12: when every column is deleted concurrently, tasks show in a synthetic column', () => {
    const [a, b] = replicas(2)
    const [todo, doing, done] = columnIds(a!)
    const id = must(createTask(a!, { columnId: todo!, title: 'Survivor' })).id
    must(deleteColumn(a!, doing!))
    must(deleteColumn(a!, done!))
    must(deleteColumn(b!, todo!)) // empty as far as b knows
    syncAll([a!, b!])
    for (const d of [a!, b!]) {
      expect(getBoardView(d).columns.map((c) => c.id)).toEqual(['__unplaced__'])
      expect(getBoardView(d).columns[0]!.tasks.map((t) => t.id)).toEqual([id])
    }
  })

  it('B12: deleting a column with tasks is refused unless they move elsewhere', () => {
    const [a] = replicas(1)
    const [todo, doing] = columnIds(a!)
    const id = must(createTask(a!, { columnId: doing!, title: 'T' })).id
    const before = Y.encodeStateAsUpdate(a!)
    const r = deleteColumn(a!, doing!)
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(Y.encodeStateAsUpdate(a!)).toEqual(before)
    must(deleteColumn(a!, doing!, { moveTasksTo: todo! }))
    expect(occurrences(a!, id)).toEqual([[todo, 0]])
  })

  it('B13: delete vs edit: the task is in the trash with the edit, and restores with it', () => {
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const id = must(createTask(a!, { columnId: todo, title: 'T' })).id
    syncAll([a!, b!])
    must(deleteTask(a!, id))
    must(updateTask(b!, id, { title: 'T edited', priority: 'urgent' }))
    syncAll([a!, b!])
    expect(occurrences(b!, id)).toEqual([])
    expect(getBoardView(b!).trash.map((t) => t.title)).toEqual(['T edited'])
    must(restoreTask(b!, id))
    syncAll([a!, b!])
    expect(getTask(a!, id)).toMatchObject({
      title: 'T edited',
      priority: 'urgent',
      deletedAt: null,
    })
    expect(occurrences(a!, id)).toEqual([[todo, 0]])
  })

  it('B14: concurrent checklist edits: adds kept, text and done merge, delete wins over edit', () => {
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const id = must(createTask(a!, { columnId: todo, title: 'T' })).id
    const one = must(addChecklistItem(a!, id, { text: 'one' })).id
    const two = must(addChecklistItem(a!, id, { text: 'two' })).id
    syncAll([a!, b!])
    must(addChecklistItem(a!, id, { text: 'from a' }))
    must(addChecklistItem(b!, id, { text: 'from b' }))
    must(updateChecklistItem(a!, id, one, { done: true }))
    must(updateChecklistItem(b!, id, one, { text: 'one!' }))
    must(deleteChecklistItem(a!, id, two))
    must(updateChecklistItem(b!, id, two, { done: true }))
    must(moveChecklistItem(b!, id, one, 3))
    syncAll([a!, b!])
    const items = getTask(a!, id)!.checklistItems
    expect(items.map((i) => i.text).sort()).toEqual(['from a', 'from b', 'one!'])
    expect(items.find((i) => i.id === one)).toMatchObject({ text: 'one!', done: true })
    expect(getTask(b!, id)!.checklistItems).toEqual(items)
    expect(getTask(a!, id)!.checklist).toEqual({ done: 1, total: 3 })
  })

  it('B15: a label deleted while another replica adds it to a task disappears from the task', () => {
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const bug = must(createLabel(a!, { name: 'bug', color: '#ef4444' })).id
    const id = must(createTask(a!, { columnId: todo, title: 'T' })).id
    syncAll([a!, b!])
    must(deleteLabel(a!, bug))
    must(updateTask(b!, id, { labelIds: [bug] }))
    syncAll([a!, b!])
    expect(getTask(a!, id)!.labelIds).toEqual([])
    expect(getTask(b!, id)!.labelIds).toEqual([])
  })

  it('B21: a restored label comes back under its id on the tasks that held it; concurrent restores give one label', () => {
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const bug = must(createLabel(a!, { name: 'bug', color: '#ef4444' })).id
    const id = must(createTask(a!, { columnId: todo, title: 'T' })).id
    must(updateTask(a!, id, { labelIds: [bug] }))
    must(deleteLabel(a!, bug))
    syncAll([a!, b!])
    expect(getTask(b!, id)!.labelIds).toEqual([])
    // Two people restore it offline, one with the colour it had before a recolour.
    must(restoreLabel(a!, { id: bug, name: 'bug', color: '#ef4444' }))
    must(restoreLabel(b!, { id: bug, name: 'bug', color: '#F97316' }))
    syncAll([a!, b!])
    const labels = listLabels(a!)
    expect(labels.map((l) => l.id)).toEqual([bug])
    expect(['#ef4444', '#f97316']).toContain(labels[0]!.color)
    expect(listLabels(b!)).toEqual(labels)
    // The task held the id all along (B15): it shows the label again everywhere.
    expect(getTask(a!, id)!.labelIds).toEqual([bug])
    expect(getTask(b!, id)!.labelIds).toEqual([bug])
    // On a live label a restore is a field write: a concurrent rename of the other field stays.
    must(restoreLabel(a!, { id: bug, name: 'bug', color: '#22c55e' }))
    must(updateLabel(b!, bug, { name: 'defect' }))
    syncAll([a!, b!])
    expect(listLabels(b!)).toEqual([{ id: bug, name: 'defect', color: '#22c55e' }])
  })

  it('B22: a restored checklist item comes back under its id; concurrent restores give one item, a live one merges by field', () => {
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const id = must(createTask(a!, { columnId: todo, title: 'T' })).id
    const one = must(addChecklistItem(a!, id, { text: 'one' })).id
    const two = must(addChecklistItem(a!, id, { text: 'two', done: true })).id
    must(deleteChecklistItem(a!, id, one))
    syncAll([a!, b!])
    must(restoreChecklistItem(a!, id, { id: one, text: 'one', done: false, index: 0 }))
    must(restoreChecklistItem(b!, id, { id: one, text: 'one', done: true, index: 0 }))
    // A live item: text and done are field writes, merging with a concurrent edit (B14).
    must(restoreChecklistItem(a!, id, { id: two, text: 'two', done: false }))
    must(updateChecklistItem(b!, id, two, { text: 'two!' }))
    syncAll([a!, b!])
    const items = getTask(a!, id)!.checklistItems
    expect(items.map((i) => i.id)).toEqual([one, two])
    expect(items[1]).toMatchObject({ text: 'two!', done: false })
    expect(getTask(b!, id)!.checklistItems).toEqual(items)
  })

  it('B16: tasks created concurrently on different replicas all exist', () => {
    const docs = replicas(3)
    const todo = columnIds(docs[0]!)[0]!
    docs.forEach((d, i) => {
      must(createTask(d, { columnId: todo, title: `t${i}` }))
    })
    syncAll(docs)
    expect(titlesIn(docs[0]!, 0).sort()).toEqual(['t0', 't1', 't2'])
  })

  // Typing as TipTap's editor does it: straight into the body's Y.Xml types.
  const runOf = (doc: Y.Doc, id: string, block = 0) =>
    (getTaskBody(doc, id)!.get(block) as Y.XmlElement).get(0) as Y.XmlText

  it('B17: concurrent typing in one paragraph of a body keeps every character of both', () => {
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const id = must(createTask(a!, { columnId: todo, title: 'T', description: 'Fix login' })).id
    syncAll([a!, b!])
    runOf(a!, id).insert(3, ' the') // different positions
    runOf(b!, id).insert(9, ' page')
    runOf(a!, id).insert(0, 'A') // same position
    runOf(b!, id).insert(0, 'B')
    syncAll([a!, b!])
    const text = getTask(a!, id)!.description
    expect(['ABFix the login page', 'BAFix the login page']).toContain(text)
    expect(getTask(b!, id)!.description).toBe(text)
    expect(getTaskBody(b!, id)!.toJSON()).toBe(getTaskBody(a!, id)!.toJSON())
  })

  it('B17: concurrent formatting of different ranges of one paragraph keeps both', () => {
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const id = must(createTask(a!, { columnId: todo, title: 'T', description: 'bold and link' })).id
    syncAll([a!, b!])
    runOf(a!, id).format(0, 4, { bold: {} })
    runOf(b!, id).format(9, 4, { link: { href: 'https://example.com' } })
    syncAll([a!, b!])
    const delta = runOf(a!, id).toDelta()
    expect(delta).toEqual([
      { insert: 'bold', attributes: { bold: {} } },
      { insert: ' and ' },
      { insert: 'link', attributes: { link: { href: 'https://example.com' } } },
    ])
    expect(runOf(b!, id).toDelta()).toEqual(delta)
    expect(getTask(a!, id)!.description).toBe('bold and link')
  })

  it('B17: tasks created concurrently each have exactly one body, and no plain description', () => {
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const x = must(createTask(a!, { columnId: todo, title: 'x', description: 'from a' })).id
    const y = must(createTask(b!, { columnId: todo, title: 'y', description: 'from b' })).id
    syncAll([a!, b!])
    for (const d of [a!, b!]) {
      expect(getTask(d, x)).toMatchObject({ description: 'from a', richBody: true })
      expect(getTask(d, y)).toMatchObject({ description: 'from b', richBody: true })
      expect(getTaskText(d, x, 'description')).toBeUndefined()
    }
    // Each replica's editor binds to the same fragment object the other replica's writes land in.
    runOf(b!, x).insert(6, '!')
    syncAll([a!, b!])
    expect(getTask(a!, x)!.description).toBe('from a!')
  })

  it('B17 + B13: a body edited while its task is deleted comes back with the edit on restore', () => {
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const id = must(createTask(a!, { columnId: todo, title: 'T', description: 'Keep me' })).id
    syncAll([a!, b!])
    must(deleteTask(a!, id))
    runOf(b!, id).insert(7, ' too')
    runOf(b!, id).format(0, 4, { italic: {} })
    syncAll([a!, b!])
    expect(getBoardView(a!).trash.map((t) => t.id)).toEqual([id])
    must(restoreTask(a!, id))
    syncAll([a!, b!])
    expect(getTask(b!, id)).toMatchObject({ description: 'Keep me too', deletedAt: null })
    expect(runOf(b!, id).toDelta()[0]).toEqual({ insert: 'Keep', attributes: { italic: {} } })
  })

  it('B18: a whole-value description write keeps unchanged blocks and merges with typing in others', () => {
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const id = must(createTask(a!, { columnId: todo, title: 'T', description: 'Title\nsteps' })).id
    runOf(a!, id, 0).format(0, 5, { bold: {} })
    syncAll([a!, b!])
    // A form changes the second line while the editor types into the same paragraph.
    must(updateTask(a!, id, { description: 'Title\nsteps: open app' }))
    runOf(b!, id, 1).insert(0, 'Known ')
    syncAll([a!, b!])
    expect(getTask(b!, id)!.description).toBe('Title\nKnown steps: open app')
    expect(getTask(a!, id)).toEqual(getTask(b!, id))
    // The untouched first line kept its formatting.
    expect(runOf(a!, id, 0).toDelta()).toEqual([{ insert: 'Title', attributes: { bold: {} } }])
  })

  it('B18: tasks from schema v1 keep their plain description through the v2 migration', () => {
    const [a, b] = replicas(2)
    setStoredVersion(a!, 1)
    const id = writeV1Task(a!, { columnId: columnIds(a!)[0]!, title: 'Old', description: 'plain' })
    syncAll([a!, b!])
    // Both replicas migrate at once (two v2 clients opening the board).
    expect(must(openBoard(a!))).toMatchObject({ schemaVersion: 3, migratedFrom: 1 })
    must(openBoard(b!))
    must(editTaskText(a!, id, 'description', { index: 5, insert: ' text' }))
    syncAll([a!, b!])
    expect(readMeta(b!).schemaVersion).toBe(3)
    expect(getTask(b!, id)).toMatchObject({ description: 'plain text', richBody: false })
    expect(getTaskBody(b!, id)).toBeUndefined()
    expect(roots(b!).tasks.get(id)!.has('body')).toBe(false)
  })

  it('B3 + B18: a client of schema v1 opening a v2 board is told to upgrade and writes nothing', () => {
    const [doc] = replicas(1)
    must(createTask(doc!, { columnId: columnIds(doc!)[0]!, title: 'T', description: 'rich' }))
    const before = Y.encodeStateAsUpdate(doc!)
    const r = openBoard(doc!, undefined, [], 1)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.code).toBe('newer_schema')
    expect(Y.encodeStateAsUpdate(doc!)).toEqual(before)
  })
})

describe('relation merge rules (docs/document-schema.md, R1–R8)', () => {
  function board(n: number) {
    const docs = replicas(n)
    const [todo, , done] = columnIds(docs[0]!)
    const a = must(createTask(docs[0]!, { columnId: todo!, title: 'A' })).id
    const b = must(createTask(docs[0]!, { columnId: todo!, title: 'B' })).id
    const c = must(createTask(docs[0]!, { columnId: todo!, title: 'C' })).id
    syncAll(docs)
    return { docs, a, b, c, todo: todo!, done: done! }
  }
  const keys = (doc: Y.Doc) => listRelations(doc).map((r) => r.key)

  it('R1: one relation per pair and kind; "relates" is symmetric and "blocked by" is the reverse of "blocks"', () => {
    const { docs, a, b } = board(1)
    const d = docs[0]!
    must(addRelation(d, a, 'relates_to', b))
    expect(must(addRelation(d, b, 'relates_to', a)).created).toBe(false)
    must(addRelation(d, b, 'blocked_by', a))
    expect(must(addRelation(d, a, 'blocks', b)).created).toBe(false)
    expect(listRelations(d)).toHaveLength(2)
    expect(getRelations(d, a).blocks.map((t) => t.title)).toEqual(['B'])
    expect(getRelations(d, b).blocked_by.map((t) => t.title)).toEqual(['A'])
    expect(getRelations(d, a).relates_to.map((t) => t.title)).toEqual(['B'])
    expect(getRelations(d, b).relates_to.map((t) => t.title)).toEqual(['A'])
  })

  it('R2: the same relation added on two replicas at once is one relation everywhere', () => {
    const { docs, a, b } = board(2)
    const [x, y] = docs as [Y.Doc, Y.Doc]
    must(addRelation(x, a, 'blocks', b, { userId: 'ada' }))
    must(addRelation(y, b, 'blocked_by', a, { userId: 'bob' }))
    must(addRelation(x, a, 'relates_to', b))
    must(addRelation(y, b, 'relates_to', a))
    syncAll(docs)
    expect(keys(x)).toHaveLength(2)
    expect(listRelations(x)).toEqual(listRelations(y))
    expect(getRelations(y, b).blocked_by).toHaveLength(1)
  })

  it('R3: add wins over a concurrent remove of the same relation; concurrent removes remove it', () => {
    const { docs, a, b, c } = board(3)
    const [x, y, z] = docs as [Y.Doc, Y.Doc, Y.Doc]
    must(addRelation(x, a, 'blocks', b))
    must(addRelation(x, a, 'duplicate_of', c))
    syncAll(docs)
    // y removes A blocks B while z, who has not seen the removal, adds it again.
    expect(must(removeRelation(y, b, 'blocked_by', a)).removed).toBe(true)
    must(removeRelation(z, a, 'blocks', b))
    must(addRelation(z, a, 'blocks', b))
    // Both y and x remove "A duplicate of C" at once.
    must(removeRelation(y, a, 'duplicate_of', c))
    must(removeRelation(x, c, 'duplicated_by', a))
    syncAll(docs)
    for (const d of docs) {
      expect(getRelations(d, b).blocked_by.map((t) => t.taskId)).toEqual([a])
      expect(getRelations(d, a).duplicate_of).toEqual([])
    }
    expect(keys(x)).toEqual(keys(y))
    expect(keys(y)).toEqual(keys(z))
  })

  it('R4: no relation to itself, to an unknown or trashed task, and no cycle of blockers on one replica', () => {
    const { docs, a, b, c } = board(1)
    const d = docs[0]!
    expect(addRelation(d, a, 'blocks', a)).toMatchObject({ ok: false, error: { code: 'invalid' } })
    expect(addRelation(d, a, 'blocks', 'nope')).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
    must(addRelation(d, a, 'blocks', b))
    must(addRelation(d, b, 'blocks', c))
    // B blocks A, or C blocks A, would make them wait on each other forever.
    expect(addRelation(d, a, 'blocked_by', b)).toMatchObject({ error: { code: 'conflict' } })
    expect(addRelation(d, c, 'blocks', a)).toMatchObject({ error: { code: 'conflict' } })
    must(addRelation(d, a, 'duplicate_of', c))
    expect(addRelation(d, c, 'duplicate_of', a)).toMatchObject({ error: { code: 'conflict' } })
    must(deleteTask(d, c))
    expect(addRelation(d, a, 'relates_to', c)).toMatchObject({ error: { code: 'conflict' } })
    expect(keys(d)).toHaveLength(3)
  })

  it('R4: "A blocks B" and "B blocks A" made on two replicas at once are both kept and shown, each task blocked by the other', () => {
    const { docs, a, b } = board(2)
    const [x, y] = docs as [Y.Doc, Y.Doc]
    must(addRelation(x, a, 'blocks', b))
    must(addRelation(y, b, 'blocks', a))
    syncAll(docs)
    for (const d of docs) {
      expect(listRelations(d)).toHaveLength(2)
      expect(isBlocked(d, a)).toBe(true)
      expect(isBlocked(d, b)).toBe(true)
      expect(getTask(d, a)!.blockedBy).toEqual([b])
    }
    // Removing either one resolves it, everywhere.
    must(removeRelation(x, a, 'blocked_by', b))
    syncAll(docs)
    for (const d of docs) expect([isBlocked(d, a), isBlocked(d, b)]).toEqual([false, true])
  })

  it('R5: a relation to a trashed task is kept and shown as trashed; a trashed blocker blocks nothing until restored', () => {
    const { docs, a, b } = board(2)
    const [x, y] = docs as [Y.Doc, Y.Doc]
    // y trashes A while x, not knowing, makes A block B.
    must(deleteTask(y, a))
    must(addRelation(x, b, 'blocked_by', a))
    syncAll(docs)
    for (const d of docs) {
      expect(getRelations(d, b).blocked_by).toMatchObject([{ taskId: a, trashed: true }])
      expect(isBlocked(d, b)).toBe(false)
      expect(getTask(d, b)!.blockedBy).toEqual([])
    }
    must(restoreTask(y, a))
    syncAll(docs)
    for (const d of docs) expect(getTask(d, b)!.blockedBy).toEqual([a])
  })

  it('R6: a relation whose task is gone from the document is dropped by every reader', () => {
    const { docs, a, b, c } = board(1)
    const d = docs[0]!
    must(addRelation(d, a, 'blocks', b))
    must(addRelation(d, c, 'relates_to', b))
    // No operation removes a task; a peer writing the map directly can.
    roots(d).tasks.delete(a)
    expect(listRelations(d).map((r) => r.type)).toEqual(['relates'])
    expect(getRelations(d, b).blocked_by).toEqual([])
    expect(getTask(d, b)!.blockedBy).toEqual([])
    expect(getRelations(d, 'gone')).toMatchObject({ blocks: [], relates_to: [] })
  })

  it('R7: a task is blocked while a blocker is open; a blocker in a done column or the trash no longer blocks, on the incremental view too', () => {
    const { docs, a, b, done } = board(1)
    const d = docs[0]!
    const store = createBoardViewStore(d)
    const cardOf = (id: string) =>
      store
        .getSnapshot()
        .columns.flatMap((col) => col.tasks)
        .find((t) => t.id === id)!
    must(addRelation(d, b, 'blocked_by', a))
    expect(cardOf(b).blockedBy).toEqual([a])
    expect(isBlocked(d, b)).toBe(true)
    must(moveTask(d, a, { columnId: done }))
    expect(cardOf(b).blockedBy).toEqual([])
    expect(isBlocked(d, b)).toBe(false)
    expect(getRelations(d, b).blocked_by).toMatchObject([{ taskId: a, done: true }])
    expect(store.getSnapshot()).toEqual(getBoardView(d))
    store.destroy()
  })

  it('R8: entries this version does not understand are ignored by readers', () => {
    const { docs, a, b } = board(1)
    const d = docs[0]!
    const rel = d.getMap<unknown>('relations')
    rel.set(`${a}|supersedes|${b}`, { at: 1 })
    const [lo, hi] = [a, b].sort()
    rel.set(`${hi}|relates|${lo}`, { at: 1 }) // "relates" must be stored with the smaller id first
    rel.set(`${a}|blocks|${a}`, { at: 1 })
    rel.set('garbage', 42)
    expect(listRelations(d)).toEqual([])
    expect(getRelations(d, a).relates_to).toEqual([])
    expect(isBlocked(d, a)).toBe(false)
    expect(getTask(d, a)!.blockedBy).toEqual([])
  })
})

describe('invalid input changes nothing', () => {
  const cases: Array<[string, (doc: Y.Doc, col: string, task: string) => { ok: boolean }]> = [
    ['unknown column', (d) => createTask(d, { columnId: 'nope', title: 'x' })],
    ['empty title', (d, c) => createTask(d, { columnId: c, title: '   ' })],
    ['title of wrong type', (d, c) => createTask(d, { columnId: c, title: 42 as never })],
    ['bad due date', (d, c) => createTask(d, { columnId: c, title: 'x', dueDate: '2026-02-30' })],
    [
      'start after due',
      (d, _c, t) => updateTask(d, t, { startDate: '2026-12-02', dueDate: '2026-12-01' }),
    ],
    ['unknown priority', (d, _c, t) => updateTask(d, t, { priority: 'meh' as never })],
    ['negative estimate', (d, _c, t) => updateTask(d, t, { estimate: -1 })],
    ['unknown field', (d, _c, t) => updateTask(d, t, { colour: 'red' } as never)],
    ['unknown label', (d, _c, t) => updateTask(d, t, { labelIds: ['nope'] })],
    ['unknown task', (d, c) => moveTask(d, 'nope', { columnId: c })],
    ['move to unknown column', (d, _c, t) => moveTask(d, t, { columnId: 'nope' })],
    ['negative index', (d, c, t) => moveTask(d, t, { columnId: c, index: -1 })],
    ['bad category', (d) => createColumn(d, { name: 'x', category: 'later' as never })],
    ['bad wip limit', (d, c) => updateColumn(d, c, { wipLimit: 0 })],
    ['empty checklist text', (d, _c, t) => addChecklistItem(d, t, { text: '' })],
    ['bad label colour', (d) => createLabel(d, { name: 'x', color: 'red' })],
    [
      'text edit past the end',
      (d, _c, t) => editTaskText(d, t, 'title', { index: 99, insert: 'x' }),
    ],
    ['second init', (d) => initBoard(d, { name: 'again' })],
    ['description too long', (d, _c, t) => updateTask(d, t, { description: 'x'.repeat(100_001) })],
    [
      'description too long on create',
      (d, c) => createTask(d, { columnId: c, title: 'x', description: 'x'.repeat(100_001) }),
    ],
    ['description of wrong type', (d, _c, t) => updateTask(d, t, { description: 7 as never })],
    [
      'parent that does not exist',
      (d, c) => createTask(d, { columnId: c, title: 'x', parentId: 'nope' }),
    ],
    ['task under itself', (d, _c, t) => setParent(d, t, t)],
    ['reorder of a top-level task', (d, _c, t) => moveSubtask(d, t, 0)],
    ['subtask index of wrong type', (d, _c, t) => setParent(d, t, null, { index: -2 })],
    [
      'character edit of a rich-text description',
      (d, _c, t) => editTaskText(d, t, 'description', { index: 0, insert: 'x' }),
    ],
  ]
  it.each(cases)('%s: returns an error and leaves the document as it was', (_name, op) => {
    const [doc] = replicas(1)
    const col = columnIds(doc!)[0]!
    const task = must(createTask(doc!, { columnId: col, title: 'T' })).id
    const before = Y.encodeStateAsUpdate(doc!)
    const r = op(doc!, col, task) as { ok: boolean; error?: { message: string } }
    expect(r.ok).toBe(false)
    expect(r.error?.message).toMatch(/\w/)
    expect(Y.encodeStateAsUpdate(doc!)).toEqual(before)
  })
})

describe('undo', () => {
  it("undoes only the local user's edits, never a teammate's", async () => {
    const { BOARD_LOCAL_ORIGIN } = await import('./schema.js')
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const id = must(createTask(a!, { columnId: todo, title: 'T' })).id
    syncAll([a!, b!])
    const undo = new Y.UndoManager([roots(a!).tasks, roots(a!).columns], {
      trackedOrigins: new Set([BOARD_LOCAL_ORIGIN]),
    })
    must(updateTask(a!, id, { priority: 'high' }))
    must(updateTask(b!, id, { dueDate: '2026-12-01' }))
    // b's edit arrives with another origin, like a provider's.
    Y.applyUpdate(a!, Y.encodeStateAsUpdate(b!, Y.encodeStateVector(a!)), 'remote')
    undo.undo()
    expect(getTask(a!, id)).toMatchObject({ priority: 'none', dueDate: '2026-12-01' })
  })
})

describe('custom fields merge rules (docs/document-schema.md, F1–F9)', () => {
  function stage(doc: Y.Doc) {
    return must(
      fieldsApi.createField(doc, {
        name: 'Stage',
        type: 'single_select',
        showOnCard: true,
        options: [
          { name: 'Spec', color: '#3b82f6' },
          { name: 'Build', color: '#22c55e' },
        ],
      }),
    )
  }
  function shown(doc: Y.Doc, taskId: string, fieldId: string) {
    const f = fieldsApi.getField(doc, fieldId)!
    return fieldsApi.renderFieldValue(f, getTask(doc, taskId)!.fields[fieldId])
  }

  it('F1: fields created concurrently all exist, in one order on every replica', () => {
    const [a, b] = replicas(2)
    must(fieldsApi.createField(a!, { name: 'Cost', type: 'number' }))
    must(fieldsApi.createField(b!, { name: 'Site', type: 'url' }))
    syncAll([a!, b!])
    const names = (d: Y.Doc) => fieldsApi.listFields(d).map((f) => f.name)
    expect(names(a!)).toHaveLength(2)
    expect(names(a!)).toEqual(names(b!))
  })

  it('F2: a rename, a type change and the card flag merge per key, and values edited meanwhile are kept', () => {
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const task = must(createTask(a!, { columnId: todo, title: 'T' })).id
    const f = must(fieldsApi.createField(a!, { name: 'Notes', type: 'text' })).id
    syncAll([a!, b!])
    must(fieldsApi.updateField(a!, f, { name: 'Remarks' }))
    must(fieldsApi.updateField(b!, f, { showOnCard: true }))
    must(fieldsApi.setTaskFieldValue(b!, task, f, 'check copy'))
    syncAll([a!, b!])
    for (const d of [a!, b!]) {
      expect(fieldsApi.getField(d, f)).toMatchObject({ name: 'Remarks', showOnCard: true })
      expect(shown(d, task, f)).toMatchObject({ name: 'Remarks', text: 'check copy' })
    }
  })

  it('F3: fields reordered concurrently to the same place get one order everywhere', () => {
    const [a, b] = replicas(2)
    const ids = ['A', 'B', 'C'].map(
      (n) => must(fieldsApi.createField(a!, { name: n, type: 'text' })).id,
    )
    syncAll([a!, b!])
    must(fieldsApi.moveField(a!, ids[2]!, 0))
    must(fieldsApi.moveField(b!, ids[1]!, 0))
    syncAll([a!, b!])
    const order = (d: Y.Doc) => fieldsApi.listFields(d).map((x) => x.name)
    expect(order(a!)).toEqual(order(b!))
    expect(order(a!)[2]).toBe('A')
  })

  it('F4: a value of an option removed concurrently is kept and shows as "removed option"; removal beats a rename', () => {
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const task = must(createTask(a!, { columnId: todo, title: 'T' })).id
    const { id: f, optionIds } = stage(a!)
    syncAll([a!, b!])
    // Bob picks Spec while Ada removes it; Ada also renames Build while Bob removes it.
    must(fieldsApi.setTaskFieldValue(b!, task, f, optionIds[0]!))
    must(fieldsApi.removeFieldOption(a!, f, optionIds[0]!))
    must(fieldsApi.updateFieldOption(a!, f, optionIds[1]!, { name: 'Make' }))
    must(fieldsApi.removeFieldOption(b!, f, optionIds[1]!))
    syncAll([a!, b!])
    for (const d of [a!, b!]) {
      expect(getTask(d, task)!.fields[f]).toBe(optionIds[0])
      expect(shown(d, task, f)).toMatchObject({
        text: 'removed option',
        options: [{ id: optionIds[0], removed: true }],
      })
      expect(fieldsApi.getField(d, f)!.options).toEqual([])
    }
    // Picking a removed option again is refused: only live options can be chosen.
    const r = fieldsApi.setTaskFieldValue(a!, task, f, optionIds[0]!)
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid' } })
  })

  it('F5: deleting a field keeps the values written concurrently, hides them, and restoring shows them again', () => {
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const task = must(createTask(a!, { columnId: todo, title: 'T' })).id
    const f = must(fieldsApi.createField(a!, { name: 'Cost', type: 'number', showOnCard: true })).id
    syncAll([a!, b!])
    must(fieldsApi.deleteField(a!, f))
    must(fieldsApi.setTaskFieldValue(b!, task, f, 42))
    syncAll([a!, b!])
    for (const d of [a!, b!]) {
      expect(fieldsApi.listFields(d)).toEqual([])
      expect(fieldsApi.cardFields(fieldsApi.listFields(d), getTask(d, task)!.fields)).toEqual([])
      expect(getTask(d, task)!.fields[f]).toBe(42)
    }
    expect(fieldsApi.setTaskFieldValue(a!, task, f, 1)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
    must(fieldsApi.restoreField(b!, f))
    syncAll([a!, b!])
    expect(fieldsApi.cardFields(fieldsApi.listFields(a!), getTask(a!, task)!.fields)).toMatchObject(
      [{ name: 'Cost', text: '42' }],
    )
  })

  it('F6: scalar values are last writer wins; concurrent multi-select picks all survive and an add beats a remove', () => {
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const task = must(createTask(a!, { columnId: todo, title: 'T' })).id
    const {
      id: tags,
      optionIds: [x, y, z],
    } = must(
      fieldsApi.createField(a!, {
        name: 'Areas',
        type: 'multi_select',
        options: [
          { name: 'UI', color: '#3b82f6' },
          { name: 'API', color: '#22c55e' },
          { name: 'Docs', color: '#eab308' },
        ],
      }),
    )
    const due = must(fieldsApi.createField(a!, { name: 'Launch', type: 'date' })).id
    must(fieldsApi.setTaskFieldValue(a!, task, tags, [x!]))
    syncAll([a!, b!])
    must(fieldsApi.setTaskFieldValue(a!, task, tags, [x!, y!]))
    must(fieldsApi.setTaskFieldValue(b!, task, tags, [z!]))
    must(fieldsApi.setTaskFieldValue(a!, task, due, '2026-12-01'))
    must(fieldsApi.setTaskFieldValue(b!, task, due, '2026-12-24'))
    syncAll([a!, b!])
    // b removed x while a kept it (a re-wrote nothing for x): the remove lands; y and z are kept.
    expect(getTask(a!, task)!.fields[tags]).toEqual([y, z].sort())
    expect(getTask(a!, task)!.fields).toEqual(getTask(b!, task)!.fields)
    expect(['2026-12-01', '2026-12-24']).toContain(getTask(a!, task)!.fields[due])
    // Add wins over a concurrent remove of the same option (B9).
    must(fieldsApi.setTaskFieldValue(a!, task, tags, []))
    must(fieldsApi.setTaskFieldValue(b!, task, tags, [y!, z!, x!]))
    syncAll([a!, b!])
    expect(getTask(a!, task)!.fields[tags]).toEqual([x])
    expect(getTask(b!, task)!.fields[tags]).toEqual([x])
  })

  it('F7: values of the wrong type, unknown fields and unknown options are refused and change nothing', () => {
    const [a] = replicas(1)
    const todo = columnIds(a!)[0]!
    const task = must(createTask(a!, { columnId: todo, title: 'T' })).id
    const num = must(fieldsApi.createField(a!, { name: 'Cost', type: 'number' })).id
    const url = must(fieldsApi.createField(a!, { name: 'Site', type: 'url' })).id
    const box = must(fieldsApi.createField(a!, { name: 'OK', type: 'checkbox' })).id
    const { id: sel } = stage(a!)
    const before = Y.encodeStateAsUpdate(a!)
    for (const [f, v] of [
      [num, '12'],
      [num, Number.NaN],
      [url, 'javascript:alert(1)'],
      [box, 'yes'],
      [sel, 'nope'],
      [sel, ['a']],
    ] as const) {
      expect(fieldsApi.setTaskFieldValue(a!, task, f, v)).toMatchObject({
        ok: false,
        error: { code: 'invalid' },
      })
    }
    expect(fieldsApi.setTaskFieldValue(a!, task, 'nofield', 1)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
    expect(Y.encodeStateAsUpdate(a!)).toEqual(before)
  })

  it('F8: a value written concurrently with a type change is kept, shown if it fits the new type, and back when the type returns', () => {
    const [a, b] = replicas(2)
    const todo = columnIds(a!)[0]!
    const task = must(createTask(a!, { columnId: todo, title: 'T' })).id
    const f = must(fieldsApi.createField(a!, { name: 'Ref', type: 'text' })).id
    syncAll([a!, b!])
    must(fieldsApi.updateField(a!, f, { type: 'number' }))
    must(fieldsApi.setTaskFieldValue(b!, task, f, 'PO-7'))
    syncAll([a!, b!])
    for (const d of [a!, b!]) {
      expect(getTask(d, task)!.fields[f]).toBe('PO-7')
      expect(shown(d, task, f)).toBeNull()
    }
    must(fieldsApi.updateField(b!, f, { type: 'text' }))
    syncAll([a!, b!])
    expect(shown(a!, task, f)).toMatchObject({ text: 'PO-7' })
    // Single → multi select carries the value over as a one-option set.
    const { id: s, optionIds } = stage(a!)
    must(fieldsApi.setTaskFieldValue(a!, task, s, optionIds[1]!))
    must(fieldsApi.updateField(a!, s, { type: 'multi_select' }))
    expect(shown(a!, task, s)).toMatchObject({ text: 'Build' })
    must(fieldsApi.setTaskFieldValue(a!, task, s, [optionIds[0]!, optionIds[1]!]))
    expect(shown(a!, task, s)).toMatchObject({ text: 'Spec, Build' })
  })

  it('F9: the projection holds every stored value raw and the fields with their options', () => {
    const [a] = replicas(1)
    const todo = columnIds(a!)[0]!
    const task = must(createTask(a!, { columnId: todo, title: 'T' })).id
    const { id: f, optionIds } = stage(a!)
    must(fieldsApi.setTaskFieldValue(a!, task, f, optionIds[0]!))
    must(fieldsApi.removeFieldOption(a!, f, optionIds[0]!))
    const p = projectBoard(a!)
    expect(p.tasks[0]!.fieldValues).toEqual([
      { fieldId: f, optionId: optionIds[0], text: optionIds[0], number: null },
    ])
    expect(p.fields).toMatchObject([
      {
        fieldId: f,
        type: 'single_select',
        deleted: false,
        options: [{ optionId: optionIds[1], name: 'Build' }],
      },
    ])
  })
})

// The hierarchy as a user sees it: every live task's title with its parent's title
// (`-` at top level), sorted; the same on two replicas means the same tree.
function shape(doc: Y.Doc): string[] {
  const view = getBoardView(doc)
  const live = view.columns.flatMap((c) => c.tasks)
  const title = new Map(live.map((t) => [t.id, t.title]))
  return live.map((t) => `${t.title} < ${t.parentId ? title.get(t.parentId) : '-'}`).sort()
}

describe('merge rules of the task hierarchy (docs/document-schema.md, H1–H8)', () => {
  function board() {
    const docs = replicas(3)
    const todo = columnIds(docs[0]!)[0]!
    const make = (title: string, parentId?: string) =>
      // An early clock: the stamps the tests give below are later.
      must(createTask(docs[0]!, { columnId: todo, title, parentId }, { now: 1 })).id
    return { docs, todo, make }
  }

  it('H1: concurrent re-parents of one task: the later by the clock wins, one parent everywhere', () => {
    const { docs, make } = board()
    const [a, b, c] = docs as [Y.Doc, Y.Doc, Y.Doc]
    const [x, p, q] = [make('X'), make('P'), make('Q')]
    syncAll(docs)
    must(setParent(b, x, q, undefined, { now: 2000 }))
    must(setParent(a, x, p, undefined, { now: 1000 }))
    syncAll(docs)
    for (const d of docs) {
      expect(getTask(d, x)!.parentId).toBe(q)
      expect(getSubtasks(d, p)).toEqual([])
      expect(getSubtasks(d, q).map((s) => s.id)).toEqual([x])
    }
    // A re-parent made after seeing another wins even from a device whose clock is behind.
    must(setParent(c, x, p, undefined, { now: 10 }))
    syncAll(docs)
    for (const d of docs) expect(getTask(d, x)!.parentId).toBe(p)
    // It replaced every record it saw: one record left.
    expect(readParentRecords(roots(a).tasks.get(x)!)).toHaveLength(1)
  })

  it('H2: a parent record naming a task that does not exist, or the task itself, reads as top level', () => {
    const { docs, make } = board()
    const [a] = docs as [Y.Doc]
    const x = make('X')
    const y = make('Y')
    a.transact(() => {
      const hlc = { wallMs: 1, counter: 0 }
      roots(a).tasks.get(x)!.set('parent:r1', { parentId: 'nope', order: 'a0', hlc, by: null })
      roots(a).tasks.get(y)!.set('parent:r2', { parentId: y, order: 'a0', hlc, by: null })
    })
    expect(getTask(a, x)).toMatchObject({ parentId: null, depth: 0 })
    expect(getTask(a, y)).toMatchObject({ parentId: null, depth: 0 })
    expect(shape(a)).toEqual(['X < -', 'Y < -'])
  })

  it('H3: A put under B on one replica while B is put under A on another: one acyclic tree everywhere, both visible', () => {
    const { docs, make } = board()
    const [a, b] = docs as [Y.Doc, Y.Doc]
    const [ta, tb] = [make('A'), make('B')]
    syncAll(docs)
    must(setParent(a, ta, tb, undefined, { now: 1000 }))
    must(setParent(b, tb, ta, undefined, { now: 2000 }))
    syncAll(docs)
    // The newer re-parent closed the cycle: it is dropped, B shows at top level.
    for (const d of docs) expect(shape(d)).toEqual(['A < B', 'B < -'])
    expect(getTask(a, tb)!.depth).toBe(0)
    expect(getTask(a, ta)!.depth).toBe(1)
    // Moving B anywhere else afterwards is an ordinary re-parent again.
    must(setParent(b, tb, null))
    syncAll(docs)
    for (const d of docs) expect(shape(d)).toEqual(['A < B', 'B < -'])
  })

  it('H3: a three-task cycle keeps the edge nobody touched and drops the newest', () => {
    const { docs, make } = board()
    const [a, b, c] = docs as [Y.Doc, Y.Doc, Y.Doc]
    const [tc, td, te] = [make('C'), make('D'), make('E')]
    must(setParent(a, tc, td, undefined, { now: 100 }))
    syncAll(docs)
    must(setParent(a, td, te, undefined, { now: 2000 }))
    must(setParent(b, te, tc, undefined, { now: 3000 }))
    syncAll(docs)
    for (const d of docs) expect(shape(d)).toEqual(['C < D', 'D < E', 'E < -'])
    expect(getTask(c, tc)!.depth).toBe(2)
  })

  it('H4: trashing a task trashes its subtree in one step; restoring brings it back whole, with edits made meanwhile', () => {
    const { docs, make } = board()
    const [a, b] = docs as [Y.Doc, Y.Doc]
    const p = make('P')
    const c1 = make('C1', p)
    const g = make('G', c1)
    syncAll(docs)
    must(deleteTask(a, p))
    must(updateTask(b, g, { title: 'G edited' }))
    syncAll(docs)
    for (const d of docs) {
      expect(
        getBoardView(d)
          .trash.map((t) => t.title)
          .sort(),
      ).toEqual(['C1', 'G edited', 'P'])
    }
    must(restoreTask(b, p))
    syncAll(docs)
    for (const d of docs) {
      expect(getBoardView(d).trash).toEqual([])
      expect(shape(d)).toEqual(['C1 < P', 'G edited < C1', 'P < -'])
    }
  })

  it('H5: a subtask added on one replica while another trashes its parent stays reachable, and is under it again on restore', () => {
    const { docs, make, todo } = board()
    const [a, b] = docs as [Y.Doc, Y.Doc]
    const p = make('P')
    make('old', p)
    const x = make('X')
    syncAll(docs)
    must(deleteTask(a, p))
    const added = must(
      createTask(b, { columnId: todo, title: 'new', parentId: p }, { now: 500 }),
    ).id
    must(setParent(b, x, p, undefined, { now: 500 }))
    syncAll(docs)
    for (const d of docs) {
      // Live, on the board, at top level: never hidden under a task in the trash.
      expect(shape(d)).toEqual(['X < -', 'new < -'])
      expect(getTask(d, added)).toMatchObject({ deletedAt: null, parentId: null, depth: 0 })
    }
    must(restoreTask(a, p))
    syncAll(docs)
    for (const d of docs) {
      expect(shape(d)).toEqual(['P < -', 'X < P', 'new < P', 'old < P'])
    }
  })

  it('H6: concurrent reorders of subtasks give one order everywhere; reorder vs re-parent: the later wins', () => {
    const { docs, make, todo } = board()
    const [a, b] = docs as [Y.Doc, Y.Doc]
    const p = make('P')
    const q = make('Q')
    const kids = ['k1', 'k2', 'k3'].map((t) => make(t, p))
    syncAll(docs)
    must(moveSubtask(a, kids[2]!, 0, { now: 1000 }))
    must(moveSubtask(b, kids[1]!, 0, { now: 1000 }))
    // Inserting at the same place concurrently.
    must(createTask(a, { columnId: todo, title: 'na', parentId: p, subtaskIndex: 0 }, { now: 500 }))
    must(createTask(b, { columnId: todo, title: 'nb', parentId: p, subtaskIndex: 0 }, { now: 500 }))
    syncAll(docs)
    const order = getSubtasks(a, p).map((s) => s.title)
    expect(order).toHaveLength(5)
    for (const d of docs) expect(getSubtasks(d, p).map((s) => s.title)).toEqual(order)
    must(setParent(a, kids[0]!, q, undefined, { now: 5000 }))
    must(moveSubtask(b, kids[0]!, 0, { now: 6000 }))
    syncAll(docs)
    for (const d of docs) expect(getTask(d, kids[0]!)!.parentId).toBe(p)
  })

  it('H7: progress is derived from the subtasks, so concurrent edits of them always add up', () => {
    const { docs, make } = board()
    const [a, b] = docs as [Y.Doc, Y.Doc]
    const done = columnIds(a)[2]!
    const p = make('P')
    const s1 = make('S1', p)
    make('S2', p)
    syncAll(docs)
    must(moveTask(a, s1, { columnId: done }))
    must(updateTask(b, s1, { estimate: 5 }))
    syncAll(docs)
    for (const d of docs) {
      expect(getTask(d, p)!.subtaskProgress).toEqual({
        done: 1,
        total: 2,
        points: 5,
        donePoints: 5,
      })
    }
    // Moving the parent does not move its subtasks.
    must(moveTask(a, p, { columnId: done }))
    expect(getTask(a, make('S3', p))!.columnId).toBe(columnIds(a)[0])
    expect(getTask(a, s1)!.columnId).toBe(done)
  })

  it('H8: a checklist item turned into a subtask on two replicas at once is one subtask', () => {
    const { docs, make } = board()
    const [a, b] = docs as [Y.Doc, Y.Doc]
    const p = make('P')
    const item = must(addChecklistItem(a, p, { text: 'write docs', done: true })).id
    syncAll(docs)
    const s = must(convertChecklistItemToSubtask(a, p, item)).id
    expect(must(convertChecklistItemToSubtask(b, p, item)).id).toBe(s)
    syncAll(docs)
    for (const d of docs) {
      expect(getSubtasks(d, p).map((t) => t.title)).toEqual(['write docs'])
      expect(getTask(d, p)!.checklistItems).toEqual([])
      expect(getTask(d, s)!.completedAt).not.toBe(null)
    }
  })

  it('H1–H5: two people build a three-level tree at once, offline from each other: one tree everywhere', () => {
    const { docs, make, todo } = board()
    const [a, b] = docs as [Y.Doc, Y.Doc]
    const root = make('Root')
    syncAll(docs)
    const a1 = must(createTask(a, { columnId: todo, title: 'a1', parentId: root }, { now: 500 })).id
    const a2 = must(createTask(a, { columnId: todo, title: 'a2', parentId: a1 }, { now: 500 })).id
    must(createTask(a, { columnId: todo, title: 'a3', parentId: a2 }, { now: 500 }))
    const b1 = must(createTask(b, { columnId: todo, title: 'b1', parentId: root }, { now: 500 })).id
    const b2 = must(createTask(b, { columnId: todo, title: 'b2', parentId: b1 }, { now: 500 })).id
    const b3 = must(createTask(b, { columnId: todo, title: 'b3', parentId: b2 }, { now: 500 })).id
    // And each moves a branch under the other's.
    syncAll(docs)
    must(setParent(a, b1, a2, undefined, { now: 1000 }))
    must(setParent(b, a1, b3, undefined, { now: 2000 }))
    syncAll(docs)
    const want = shape(a)
    for (const d of docs) expect(shape(d)).toEqual(want)
    // Every task is visible, and the deepest is at depth ≥ 3.
    expect(want).toHaveLength(7)
    const depths = getBoardView(a).columns.flatMap((c) => c.tasks.map((t) => t.depth))
    expect(Math.max(...depths)).toBeGreaterThanOrEqual(3)
  })
})
