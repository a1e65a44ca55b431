import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  addChecklistItem,
  deleteChecklistItem,
  moveChecklistItem,
  readChecklist,
  updateChecklistItem,
} from './checklist.js'
import { createColumn, deleteColumn, moveColumn, updateColumn } from './columns.js'
import { addComment, deleteComment, editComment, listComments, toggleReaction } from './comments.js'
import {
  addFieldOption,
  createField,
  deleteField,
  listFields,
  removeFieldOption,
  renderFieldValue,
  restoreField,
  setTaskFieldValue,
  updateField,
  updateFieldOption,
} from './custom-fields.js'
import { createLabel, deleteLabel } from './labels.js'
import { compareOrdered } from './order.js'
import { projectBoard } from './projection.js'
import {
  addRelation,
  getRelations,
  listRelations,
  RELATION_KINDS,
  removeRelation,
} from './relations.js'
import { getTaskBody } from './rich-text.js'
import { BOARD_LOCAL_ORIGIN, COLUMN_CATEGORIES, PRIORITIES, roots, subMap } from './schema.js'
import {
  convertChecklistItemToSubtask,
  getSubtasks,
  getTask,
  moveSubtask,
  setParent,
} from './subtasks.js'
import { createTask, deleteTask, editTaskText, moveTask, restoreTask, updateTask } from './tasks.js'
import { replicas, send, syncAll } from './test/replicas.js'
import { createBoardViewStore } from './view-store.js'
import { getBoardView } from './views.js'

// An operation picks its targets by index into what the replica has when it runs, so
// every generated step is meaningful whatever the replica's state.
type Step =
  | { kind: 'op'; replica: number; op: number; a: number; b: number; c: number; s: string }
  | { kind: 'send'; from: number; to: number }
  | TreeStep

// --- Task hierarchy (issue 14): its own steps, operations and invariants. ---------------

type TreeStep = { kind: 'tree'; replica: number; op: number; a: number; b: number; s: string }

const treeStepArb: fc.Arbitrary<TreeStep> = fc.record({
  kind: fc.constant('tree' as const),
  replica: fc.nat(4),
  op: fc.nat(5),
  a: fc.nat(40),
  b: fc.nat(40),
  s: fc.string({ minLength: 1, maxLength: 4 }),
})

// Re-parents among few tasks so concurrent ones often form cycles (H3).
function applyTree(doc: Y.Doc, st: TreeStep): void {
  const taskIds = [...roots(doc).tasks.keys()].sort().slice(0, 5)
  const task = pick(taskIds, st.a) ?? 'none'
  const other = pick(taskIds, st.b) ?? 'none'
  switch (st.op) {
    case 0:
    case 1:
      setParent(doc, task, other, { index: st.b % 3 })
      break
    case 2:
      if (st.b % 4 === 0) setParent(doc, task, null)
      else moveSubtask(doc, task, st.b % 3)
      break
    case 3:
      createTask(doc, { title: st.s.trim() || 'x', parentId: task, subtaskIndex: st.b % 3 })
      break
    case 4: {
      const items = readChecklist(
        subMap(roots(doc).tasks.get(task) ?? roots(doc).meta, 'checklist'),
      )
      const item = pick(items, st.b)
      if (item) convertChecklistItemToSubtask(doc, task, item.id)
      else addChecklistItem(doc, task, { text: st.s.trim() || 'x', done: st.b % 2 === 0 })
      break
    }
    case 5:
      if (st.b % 2) deleteTask(doc, task)
      else restoreTask(doc, task)
      break
  }
}

/** The hierarchy every replica shows: a forest, with every task in it once. */
function checkTreeInvariants(doc: Y.Doc): void {
  const view = getBoardView(doc)
  const all = [...view.columns.flatMap((c) => c.tasks), ...view.trash]
  const byId = new Map(all.map((t) => [t.id, t]))
  for (const t of all) {
    // No cycle: the parent chain ends at top level, after exactly `depth` steps.
    let steps = 0
    for (let p = t.parentId; p !== null; p = byId.get(p)!.parentId) {
      expect(byId.has(p)).toBe(true)
      expect(++steps).toBeLessThanOrEqual(all.length)
    }
    expect(t.depth).toBe(steps)
    if (t.parentId !== null) {
      const parent = byId.get(t.parentId)!
      expect(parent.title).toBe(t.parentTitle)
      // A live task never hangs under a task in the trash (H5).
      if (t.deletedAt === null) expect(parent.deletedAt).toBeNull()
    }
  }
  // One parent: every live subtask is listed under its parent, once, and nowhere else.
  const listed = new Map<string, number>()
  for (const t of all) {
    const kids = getSubtasks(doc, t.id)
    const progress = t.subtaskProgress
    expect(progress?.total ?? 0).toBe(kids.length)
    for (const k of kids) {
      expect(k.parentId).toBe(t.id)
      listed.set(k.id, (listed.get(k.id) ?? 0) + 1)
    }
  }
  for (const t of all) {
    expect(listed.get(t.id) ?? 0).toBe(t.parentId !== null && t.deletedAt === null ? 1 : 0)
  }
}
// ------------------------------------------------------------------------------------------

const OPS = 24

function pick<T>(list: readonly T[], n: number): T | undefined {
  return list.length === 0 ? undefined : list[n % list.length]
}

// Edits a task's rich-text body as TipTap's editor does, straight on the Y.Xml types:
// typing, deleting, formatting a range, inserting a mention or a new paragraph.
function editBody(body: Y.XmlFragment, st: Extract<Step, { kind: 'op' }>): void {
  const blocks = body.toArray().filter((b): b is Y.XmlElement => b instanceof Y.XmlElement)
  const block = pick(blocks, st.a)
  if (!block) return
  let run = block.toArray().find((c): c is Y.XmlText => c instanceof Y.XmlText)
  if (!run) {
    run = new Y.XmlText()
    block.insert(0, [run])
  }
  const at = st.c % (run.length + 1)
  switch (st.b % 5) {
    case 0:
    case 1:
      run.insert(at, st.s)
      break
    case 2:
      if (run.length > 0) run.delete(at % run.length, 1 + (st.a % 3))
      break
    case 3:
      run.format(0, at, st.c % 2 ? { bold: {} } : { link: { href: `https://x.test/${st.s}` } })
      break
    case 4: {
      const mention = new Y.XmlElement('mention')
      mention.setAttribute('id', `u${st.c % 3}`)
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText(st.s)])
      if (st.a % 2) block.insert(block.length, [mention])
      else body.insert(st.c % (body.length + 1), [p])
      break
    }
  }
}

function apply(doc: Y.Doc, st: Extract<Step, { kind: 'op' }>): void {
  const { tasks, labels } = roots(doc)
  const cols = getBoardView(doc).columns.filter((c) => c.id !== '__unplaced__')
  const taskIds = [...tasks.keys()].sort()
  const col = pick(cols, st.a)?.id ?? 'none'
  const task = pick(taskIds, st.b) ?? 'none'
  const items = readChecklist(subMap(tasks.get(task) ?? roots(doc).meta, 'checklist'))
  const item = pick(items, st.c)?.id ?? 'none'
  const label = pick([...labels.keys()].sort(), st.c) ?? 'none'
  const title = st.s.trim() || 'x'
  switch (st.op % OPS) {
    case 0:
    case 1:
      createTask(doc, { columnId: col, title, index: st.c % 5 })
      break
    case 2:
      moveTask(doc, task, { columnId: col, index: st.c % 6 })
      break
    case 3:
      moveTask(doc, task, { columnId: col, index: 0 })
      break
    case 4:
      editTaskText(doc, task, 'title', { index: 0, insert: st.s })
      break
    case 5:
      updateTask(doc, task, { description: `${st.s} ${st.c}` })
      break
    case 6:
      updateTask(doc, task, {
        priority: PRIORITIES[st.c % PRIORITIES.length]!,
        estimate: st.c % 13,
        dueDate: `2026-12-${String((st.c % 28) + 1).padStart(2, '0')}`,
      })
      break
    case 7:
      updateTask(doc, task, { assigneeIds: [`u${st.a % 4}`, `u${st.c % 4}`] })
      break
    case 8:
      updateTask(doc, task, { labelIds: label === 'none' ? [] : [label] })
      break
    case 9:
      deleteTask(doc, task)
      break
    case 10:
      restoreTask(doc, task)
      break
    case 11:
      createColumn(doc, {
        name: title,
        category: COLUMN_CATEGORIES[st.c % 3]!,
        index: st.b % 4,
      })
      break
    case 12:
      // Deleting a column with tasks needs a destination, as in the app.
      deleteColumn(doc, col, { moveTasksTo: pick(cols, st.a + 1)?.id ?? col })
      deleteColumn(doc, col)
      break
    case 13:
      moveColumn(doc, col, st.c % 4)
      break
    case 14:
      updateColumn(doc, col, { name: title, category: COLUMN_CATEGORIES[st.c % 3]! })
      break
    case 15:
      addChecklistItem(doc, task, { text: title, index: st.c % 3 })
      break
    case 16:
      updateChecklistItem(doc, task, item, { done: st.c % 2 === 0, text: title })
      break
    case 17:
      if (st.c % 2) deleteChecklistItem(doc, task, item)
      else moveChecklistItem(doc, task, item, st.a % 3)
      break
    case 18:
      createLabel(doc, { name: title, color: '#112233' })
      break
    case 19:
      deleteLabel(doc, label)
      break
    case 20:
      addComment(doc, task, { body: st.s }, { userId: `u${st.a % 3}`, now: st.c })
      break
    case 21: {
      const comment = pick(listComments(doc, task), st.c)
      if (comment)
        editComment(doc, task, comment.id, { body: `${st.s}!` }, { userId: comment.authorId })
      if (comment && st.a % 2) deleteComment(doc, task, comment.id, { userId: 'x', asAdmin: true })
      break
    }
    case 22: {
      const comment = pick(listComments(doc, task), st.c)
      if (comment)
        toggleReaction(doc, task, comment.id, ['👍', '🎉'][st.a % 2]!, { userId: `u${st.b % 3}` })
      break
    }
    case 23: {
      const body = getTaskBody(doc, task)
      if (body) doc.transact(() => editBody(body, st), BOARD_LOCAL_ORIGIN)
      break
    }
  }
}

/** The invariants every replica's board view must keep. */
function checkInvariants(doc: Y.Doc): void {
  const view = getBoardView(doc)
  const seen = new Map<string, number>()
  for (const col of view.columns) {
    for (let i = 1; i < col.tasks.length; i++) {
      // Orders are total: strictly increasing by (key, id).
      expect(compareOrdered(col.tasks[i - 1]!, col.tasks[i]!)).toBeLessThan(0)
    }
    for (const t of col.tasks) seen.set(t.id, (seen.get(t.id) ?? 0) + 1)
  }
  for (const t of view.trash) seen.set(t.id, (seen.get(t.id) ?? 0) + 1)
  // Every task of the document shows exactly once: on the board or in the trash.
  expect([...seen.values()].every((n) => n === 1)).toBe(true)
  expect(new Set(seen.keys())).toEqual(new Set(roots(doc).tasks.keys()))
}

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('op' as const),
      replica: fc.nat(4),
      op: fc.nat(OPS - 1),
      a: fc.nat(20),
      b: fc.nat(40),
      c: fc.nat(40),
      s: fc.string({ minLength: 1, maxLength: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('send' as const), from: fc.nat(4), to: fc.nat(4) }),
  },
  { weight: 3, arbitrary: treeStepArb },
)

describe('convergence (property-based)', () => {
  it('replicas applying random operations under random partitions converge with invariants held', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 5 }),
        fc.array(stepArb, { maxLength: 60 }),
        (n, steps) => {
          const docs = replicas(n)
          // Replica 0 renders through the incremental store; it must agree with a full compute.
          const store = createBoardViewStore(docs[0]!)
          for (const st of steps) {
            if (st.kind === 'op') apply(docs[st.replica % n]!, st)
            else if (st.kind === 'tree') applyTree(docs[st.replica % n]!, st)
            else if (st.from % n !== st.to % n) send(docs[st.from % n]!, docs[st.to % n]!)
          }
          for (const d of docs) {
            checkInvariants(d)
            checkTreeInvariants(d)
          }
          syncAll(docs)
          const expected = JSON.stringify(projectBoard(docs[0]!))
          for (const d of docs) {
            checkInvariants(d)
            checkTreeInvariants(d)
            expect(JSON.stringify(projectBoard(d))).toBe(expected)
            expect(getBoardView(d)).toEqual(getBoardView(docs[0]!))
            for (const id of roots(d).tasks.keys()) {
              expect(listComments(d, id)).toEqual(listComments(docs[0]!, id))
              // Descriptions (plain text of the body) and the bodies themselves agree too.
              expect(getTask(d, id)).toEqual(getTask(docs[0]!, id))
              expect(getTaskBody(d, id)?.toJSON()).toBe(getTaskBody(docs[0]!, id)?.toJSON())
            }
          }
          expect(store.getSnapshot()).toEqual(getBoardView(docs[0]!))
          store.destroy()
        },
      ),
      // fast-check prints the seed and the shrunk counterexample of a failure.
      { numRuns: 200 },
    )
  })

  // Mutation check (issue 14): with H3's cycle break switched off (`this.ignored.add(newest)`
  // commented out in tree.ts) this fails at once — 2026-12-04: "Property failed after 2 tests,
  // { seed: 1687436035 }", shrunk to two concurrent re-parents on replicas 0 and 1 that close
  // a cycle, caught by checkTreeInvariants ("expected 7 to be less than or equal to 6": a
  // parent chain longer than the board). The first property does not catch it reliably: it
  // rarely has the same few tasks on several replicas.
  it('replicas re-parenting a shared set of tasks under random partitions converge on one forest', () => {
    const hierarchyStep: fc.Arbitrary<Step> = fc.oneof(
      { weight: 5, arbitrary: treeStepArb },
      { weight: 2, arbitrary: stepArb },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('send' as const),
          from: fc.nat(4),
          to: fc.nat(4),
        }),
      },
    )
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 5 }),
        fc.array(hierarchyStep, { minLength: 8, maxLength: 40 }),
        (n, steps) => {
          const docs = replicas(n)
          const todo = getBoardView(docs[0]!).columns[0]!.id
          for (const title of ['A', 'B', 'C', 'D', 'E'])
            createTask(docs[0]!, { columnId: todo, title })
          syncAll(docs)
          const store = createBoardViewStore(docs[1]!)
          for (const st of steps) {
            if (st.kind === 'op') apply(docs[st.replica % n]!, st)
            else if (st.kind === 'tree') applyTree(docs[st.replica % n]!, st)
            else if (st.from % n !== st.to % n) send(docs[st.from % n]!, docs[st.to % n]!)
          }
          for (const d of docs) checkTreeInvariants(d)
          syncAll(docs)
          for (const d of docs) {
            checkInvariants(d)
            checkTreeInvariants(d)
            expect(getBoardView(d)).toEqual(getBoardView(docs[0]!))
          }
          expect(store.getSnapshot()).toEqual(getBoardView(docs[1]!))
          store.destroy()
        },
      ),
      { numRuns: 200 },
    )
  })
})

// Relations (R1–R8): adds and removes of every kind between random tasks, mixed with the
// task operations above (trash, restore, moves into done columns), under partitions.
type RelationStep = {
  kind: 'rel'
  replica: number
  remove: boolean
  from: number
  to: number
  relation: number
}

const relationStepArb: fc.Arbitrary<RelationStep> = fc.record({
  kind: fc.constant('rel' as const),
  replica: fc.nat(4),
  remove: fc.boolean(),
  from: fc.nat(40),
  to: fc.nat(40),
  relation: fc.nat(RELATION_KINDS.length - 1),
})

function applyRelation(doc: Y.Doc, st: RelationStep): void {
  const ids = [...roots(doc).tasks.keys()].sort()
  const from = pick(ids, st.from)
  const to = pick(ids, st.to)
  if (!from || !to) return
  const kind = RELATION_KINDS[st.relation]!
  if (st.remove) removeRelation(doc, from, kind, to)
  else addRelation(doc, from, kind, to)
}

// Steps that change whether a blocker is open: moves (into done columns too), trash, restore.
const blockerStateArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.constant('op' as const),
  replica: fc.nat(4),
  op: fc.constantFrom(2, 3, 9, 10),
  a: fc.nat(20),
  b: fc.nat(40),
  c: fc.nat(40),
  s: fc.constant('x'),
})

function checkRelationInvariants(doc: Y.Doc): void {
  const tasks = roots(doc).tasks
  for (const r of listRelations(doc)) {
    expect(r.fromId).not.toBe(r.toId)
    expect(tasks.has(r.fromId) && tasks.has(r.toId)).toBe(true)
  }
}

describe('convergence of relations (property-based)', () => {
  // Re-parents are mixed in (issue 14): a relation to a task that changes parent, is trashed
  // with its subtree or closes a cycle must converge all the same. Mutation check: with H3's
  // cycle break off (both `this.ignored.add(newest)` in tree.ts commented out) this fails —
  // 2026-12-05: "Property failed after 15 tests, { seed: -1179657539 }".
  it('random relation adds and removes, with re-parents, under random partitions converge, and the incremental board agrees', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 5 }),
        fc.array(
          fc.oneof(
            { weight: 3, arbitrary: stepArb },
            { weight: 2, arbitrary: blockerStateArb },
            { weight: 3, arbitrary: relationStepArb },
            { weight: 2, arbitrary: treeStepArb },
          ),
          { maxLength: 60 },
        ),
        (n, steps) => {
          const docs = replicas(n)
          // Five tasks everyone has, so that relations form from the first step.
          const cols = getBoardView(docs[0]!).columns
          for (let i = 0; i < 5; i++) {
            createTask(docs[0]!, { columnId: cols[i % cols.length]!.id, title: `t${i}` })
          }
          syncAll(docs)
          const store = createBoardViewStore(docs[0]!)
          for (const st of steps) {
            if (st.kind === 'rel') applyRelation(docs[st.replica % n]!, st)
            else if (st.kind === 'tree') applyTree(docs[st.replica % n]!, st)
            else if (st.kind === 'op') apply(docs[st.replica % n]!, st)
            else if (st.kind === 'send' && st.from % n !== st.to % n)
              send(docs[st.from % n]!, docs[st.to % n]!)
          }
          // Replica 0's store has followed every partial sync; it must match a full compute.
          expect(store.getSnapshot()).toEqual(getBoardView(docs[0]!))
          syncAll(docs)
          const expected = listRelations(docs[0]!)
          for (const d of docs) {
            checkRelationInvariants(d)
            checkTreeInvariants(d)
            expect(listRelations(d)).toEqual(expected)
            expect(getBoardView(d)).toEqual(getBoardView(docs[0]!))
            for (const id of roots(d).tasks.keys()) {
              expect(getRelations(d, id)).toEqual(getRelations(docs[0]!, id))
            }
          }
          expect(store.getSnapshot()).toEqual(getBoardView(docs[0]!))
          store.destroy()
        },
      ),
      { numRuns: 100 },
    )
  })
})

// --- Custom fields (F1–F9): kept apart from the board steps above, so each grows alone ---

type FieldStep =
  | { kind: 'field'; replica: number; op: number; a: number; b: number; s: string }
  | { kind: 'send'; from: number; to: number }

const FIELD_TYPE_CYCLE = ['single_select', 'multi_select', 'text', 'number'] as const

/** One random custom-field edit, its targets picked by index into what the replica has. */
function applyFieldStep(doc: Y.Doc, st: Extract<FieldStep, { kind: 'field' }>): void {
  const all = listFields(doc, { includeDeleted: true })
  const field = pick(all, st.a)
  const option = field ? pick(field.options, st.b) : undefined
  const task = pick([...roots(doc).tasks.keys()].sort(), st.b)
  const name = st.s.trim() || 'x'
  switch (st.op % 9) {
    case 0:
      createField(doc, {
        name,
        type: st.a % 2 ? 'single_select' : 'multi_select',
        options: [
          { name: 'A', color: '#3b82f6' },
          { name: 'B', color: '#22c55e' },
        ],
      })
      break
    case 1:
      if (field) addFieldOption(doc, field.id, { name, color: '#eab308' })
      break
    case 2:
      if (field && option) removeFieldOption(doc, field.id, option.id)
      break
    case 3:
      if (field && option) updateFieldOption(doc, field.id, option.id, { name })
      break
    case 4:
    case 5:
      if (field && task && option) {
        setTaskFieldValue(
          doc,
          task,
          field.id,
          field.type === 'multi_select'
            ? field.options.slice(st.b % 2).map((o) => o.id)
            : option.id,
        )
      }
      break
    case 6:
      if (field && task) setTaskFieldValue(doc, task, field.id, null)
      break
    case 7:
      if (field) (field.deletedAt === null ? deleteField : restoreField)(doc, field.id)
      break
    case 8:
      if (field) updateField(doc, field.id, { type: FIELD_TYPE_CYCLE[st.b % 4], name })
      break
  }
}

const fieldStepArb: fc.Arbitrary<FieldStep> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('field' as const),
      replica: fc.nat(4),
      op: fc.nat(8),
      a: fc.nat(10),
      b: fc.nat(20),
      s: fc.string({ minLength: 1, maxLength: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('send' as const), from: fc.nat(4), to: fc.nat(4) }),
  },
)

/** What every replica must agree on: definitions and each task's stored and shown values. */
function fieldState(doc: Y.Doc) {
  const fields = listFields(doc, { includeDeleted: true })
  return {
    fields,
    tasks: [...roots(doc).tasks.keys()].sort().map((id) => {
      const values = getTask(doc, id)!.fields
      return { id, values, shown: fields.map((f) => renderFieldValue(f, values[f.id])) }
    }),
  }
}

describe('custom fields convergence (property-based)', () => {
  it('random field edits, option removals and value writes under partitions converge, and no select value is dropped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 5 }),
        fc.array(fieldStepArb, { maxLength: 50 }),
        (n, steps) => {
          const docs = replicas(n)
          const col = getBoardView(docs[0]!).columns[0]!.id
          for (const title of ['t1', 't2', 't3']) createTask(docs[0]!, { columnId: col, title })
          syncAll(docs)
          for (const st of steps) {
            if (st.kind === 'field') applyFieldStep(docs[st.replica % n]!, st)
            else if (st.from % n !== st.to % n) send(docs[st.from % n]!, docs[st.to % n]!)
          }
          syncAll(docs)
          const expected = fieldState(docs[0]!)
          for (const d of docs) expect(fieldState(d)).toEqual(expected)
          // F4: a select value naming an option that no longer exists still shows, as removed.
          for (const t of expected.tasks) {
            for (const f of expected.fields) {
              const v = t.values[f.id]
              if (f.deletedAt !== null || f.type !== 'multi_select' || !Array.isArray(v)) continue
              if (v.length === 0) continue
              const shown = renderFieldValue(f, v)!
              expect(shown.options!.map((o) => o.id).sort()).toEqual([...v].sort())
              for (const o of shown.options!) {
                expect(o.removed).toBe(!f.options.some((x) => x.id === o.id))
              }
            }
          }
        },
      ),
      { numRuns: 150 },
    )
  })
})
