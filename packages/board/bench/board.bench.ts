/**
 * Board model benchmark: builds a realistic 10,000-task board and prints sizes and
 * timings (median of REPS runs). Run: `pnpm --filter @taskflow/board bench`
 * (TASKS=10000 REPS=5 by default). Not a test: it prints figures for docs/benchmarks.md.
 * RELATIONS=2000 adds that many relations between random tasks (half `blocks`, a third
 * `relates`, the rest `duplicate`) and times adding one more with the view kept current.
 * Each run measures two boards alike but for the hierarchy: `plain` (no subtasks, the
 * anchor) and `tree` (30 % of the tasks are subtasks, up to depth 3, one parent holding 50),
 * plus re-parenting and opening a task with its subtasks on the tree board (issue 14).
 * VARIANTS=plain measures only the anchor (what the code before subtasks measured).
 * FIELDS=5 adds that many custom fields (cycling single select, number, date, checkbox, text)
 * and gives each task a value of each with probability ½ (the issue 14 board: FIELDS=5
 * RELATIONS=2000). Values are drawn from their own generator: the other draws do not change.
 */
import * as Y from 'yjs'
import {
  addChecklistItem,
  addRelation,
  createBoardViewStore,
  createField,
  createLabel,
  createTask,
  type FieldType,
  getBoardView,
  getSubtasks,
  getTask,
  initBoard,
  moveTask,
  PRIORITIES,
  RELATION_KINDS,
  removeRelation,
  setParent,
  setTaskFieldValue,
  updateTask,
} from '../src/index.js'

const TASKS = Number(process.env.TASKS ?? 10_000)
const REPS = Number(process.env.REPS ?? 5)
const RELATIONS = Number(process.env.RELATIONS ?? 0)
const FIELDS = Number(process.env.FIELDS ?? 0)
const FIELD_TYPES: FieldType[] = ['single_select', 'number', 'date', 'checkbox', 'text']

// Deterministic PRNG so every run builds the same board.
function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}
const WORDS = 'plan ship review fix design test deploy write draft check update build api ui'.split(
  ' ',
)
function sentence(rand: () => number, chars: number): string {
  let out = ''
  while (out.length < chars) out += `${WORDS[Math.floor(rand() * WORDS.length)]} `
  return out.slice(0, chars)
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!

interface Built {
  doc: Y.Doc
  columnIds: string[]
  taskIds: string[]
  /** Subtasks (tree board), and the parent holding 50 of them. */
  subtaskIds: string[]
  bigParent: string | null
}

function build(tree: boolean): Built {
  const rand = rng(42)
  const doc = new Y.Doc()
  initBoard(doc, {
    name: 'Benchmark',
    columns: [
      { name: 'Backlog', category: 'todo' },
      { name: 'To do', category: 'todo' },
      { name: 'In progress', category: 'in_progress' },
      { name: 'Done', category: 'done' },
    ],
  })
  const columnIds = getBoardView(doc).columns.map((c) => c.id)
  const labels = Array.from({ length: 8 }, (_, i) => {
    const r = createLabel(doc, { name: `label ${i}`, color: '#3b82f6' })
    if (!r.ok) throw new Error(r.error.message)
    return r.value.id
  })
  const taskIds: string[] = []
  const subtaskIds: string[] = []
  const depth: number[] = []
  const treeRand = rng(99)
  for (let i = 0; i < TASKS; i++) {
    // Tree board: 30 % are subtasks of an earlier task of depth < 3; the first 50 of them go
    // under task 0. The same draws are made on both boards, so only the hierarchy differs.
    let parentId: string | undefined
    let d = 0
    const sub = treeRand() < 0.3 && i > 0
    const pick = Math.floor(treeRand() * i)
    if (tree && sub) {
      let p = subtaskIds.length < 50 ? 0 : pick
      while (depth[p]! >= 3) p = Math.floor(p / 2)
      parentId = taskIds[p]
      d = depth[p]! + 1
    }
    const r = createTask(
      doc,
      {
        columnId: columnIds[Math.floor(rand() * columnIds.length)]!,
        title: sentence(rand, 20 + Math.floor(rand() * 40)).trim(),
        description: sentence(rand, 200),
        priority: PRIORITIES[Math.floor(rand() * PRIORITIES.length)]!,
        dueDate: `2027-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`,
        estimate: Math.floor(rand() * 8),
        assigneeIds: [`user-${Math.floor(rand() * 12)}`],
        labelIds: rand() < 0.5 ? [labels[Math.floor(rand() * labels.length)]!] : [],
        parentId,
      },
      { userId: 'user-0' },
    )
    if (!r.ok) throw new Error(r.error.message)
    taskIds.push(r.value.id)
    depth.push(d)
    if (parentId) subtaskIds.push(r.value.id)
    if (i % 3 === 0) addChecklistItem(doc, r.value.id, { text: sentence(rand, 30).trim() })
  }
  const fieldRand = rng(77)
  for (let f = 0; f < FIELDS; f++) {
    const type = FIELD_TYPES[f % FIELD_TYPES.length]!
    const options =
      type === 'single_select'
        ? ['Spec', 'Build', 'Verify', 'Ship'].map((name) => ({ name, color: '#3b82f6' }))
        : undefined
    const field = createField(doc, { name: `field ${f}`, type, showOnCard: f < 2, options })
    if (!field.ok) throw new Error(field.error.message)
    const { id: fieldId, optionIds } = field.value
    for (const taskId of taskIds) {
      if (fieldRand() < 0.5) continue
      const x = fieldRand()
      const value =
        type === 'single_select'
          ? optionIds[Math.floor(x * optionIds.length)]!
          : type === 'number'
            ? Math.floor(x * 100)
            : type === 'date'
              ? `2027-0${1 + Math.floor(x * 9)}-1${Math.floor(x * 9)}`
              : type === 'checkbox'
                ? x < 0.5
                : sentence(fieldRand, 12).trim()
      const r = setTaskFieldValue(doc, taskId, fieldId, value)
      if (!r.ok) throw new Error(r.error.message)
    }
  }
  let made = 0
  while (made < RELATIONS) {
    const a = taskIds[Math.floor(rand() * taskIds.length)]!
    const b = taskIds[Math.floor(rand() * taskIds.length)]!
    const x = rand()
    const kind = x < 0.5 ? 'blocks' : x < 0.83 ? 'relates_to' : 'duplicate_of'
    const r = addRelation(doc, a, kind, b, { userId: 'user-0' })
    if (r.ok && r.value.created) made++
  }
  return { doc, columnIds, taskIds, subtaskIds, bigParent: tree ? taskIds[0]! : null }
}

const results: Record<string, number[]> = {}
const recordAs = (k: string, v: number) => {
  results[k] ??= []
  results[k].push(v)
}

const VARIANTS = (process.env.VARIANTS ?? 'plain,tree').split(',')

for (let rep = 0; rep < REPS; rep++) {
  for (const variant of VARIANTS) measure(rep, variant)
}

function measure(rep: number, variant: string) {
  const record = (k: string, v: number) => recordAs(`${k} [${variant}]`, v)
  let t0 = process.hrtime.bigint()
  const { doc, columnIds, taskIds, subtaskIds, bigParent } = build(variant === 'tree')
  record('build (ms)', ms(t0))

  t0 = process.hrtime.bigint()
  const v1 = Y.encodeStateAsUpdate(doc)
  record('encode v1 (ms)', ms(t0))
  record('size v1 (MB)', v1.byteLength / 1e6)
  t0 = process.hrtime.bigint()
  const v2 = Y.encodeStateAsUpdateV2(doc)
  record('encode v2 (ms)', ms(t0))
  record('size v2 (MB)', v2.byteLength / 1e6)

  const loaded = new Y.Doc()
  t0 = process.hrtime.bigint()
  Y.applyUpdate(loaded, v1)
  record('load from v1 update (ms)', ms(t0))
  const loaded2 = new Y.Doc()
  t0 = process.hrtime.bigint()
  Y.applyUpdateV2(loaded2, v2)
  record('load from v2 update (ms)', ms(t0))

  const computes: number[] = []
  for (let i = 0; i < 7; i++) {
    t0 = process.hrtime.bigint()
    const view = getBoardView(loaded)
    computes.push(ms(t0))
    const shown = view.columns.reduce((n, c) => n + c.tasks.length, 0)
    if (shown !== TASKS) throw new Error(`view shows ${shown} of ${TASKS} tasks`)
  }
  record('board view, first full compute after load (ms)', computes[0]!)
  record('board view, full compute, median of 7 (ms)', median(computes))

  // Opening a task reads its description: a rich-text body is walked for its plain text.
  const details: number[] = []
  const pickTask = rng(11 + rep)
  for (let i = 0; i < 300; i++) {
    const id = taskIds[Math.floor(pickTask() * taskIds.length)]!
    t0 = process.hrtime.bigint()
    const detail = getTask(loaded, id)
    details.push(ms(t0))
    if (detail?.description.length !== 200) throw new Error('description not read')
  }
  record('open one task (getTask with description), median (ms)', median(details))

  t0 = process.hrtime.bigint()
  const store = createBoardViewStore(loaded)
  record('view store, first compute (ms)', ms(t0))

  // Single edits on the loaded board, with the view kept current; each timing spans the
  // operation and the store's update, up to the moment a UI listener is called.
  const rand = rng(7 + rep)
  let notified = 0
  store.subscribe(() => notified++)
  const edit: number[] = []
  const move: number[] = []
  for (let i = 0; i < 300; i++) {
    const id = taskIds[Math.floor(rand() * taskIds.length)]!
    t0 = process.hrtime.bigint()
    updateTask(loaded, id, { priority: PRIORITIES[i % PRIORITIES.length]! })
    edit.push(ms(t0))
    t0 = process.hrtime.bigint()
    moveTask(loaded, id, { columnId: columnIds[i % columnIds.length]!, index: i % 50 })
    move.push(ms(t0))
  }
  if (notified === 0) throw new Error('store never notified')
  record('single field edit → view current, median (ms)', median(edit))
  record('single field edit → view current, p95 (ms)', pct(edit, 0.95))
  record('move task → view current, median (ms)', median(move))
  record('move task → view current, p95 (ms)', pct(move, 0.95))
  if (RELATIONS > 0) {
    // A relation added and removed with the view current (both tasks' cards re-read).
    const relAdd: number[] = []
    for (let i = 0; i < 300; i++) {
      const a = taskIds[Math.floor(rand() * taskIds.length)]!
      const b = taskIds[Math.floor(rand() * taskIds.length)]!
      const kind = RELATION_KINDS[i % RELATION_KINDS.length]!
      t0 = process.hrtime.bigint()
      const r = addRelation(loaded, a, kind, b)
      relAdd.push(ms(t0))
      if (r.ok && r.value.created) removeRelation(loaded, a, kind, b)
    }
    record('add relation → view current, median (ms)', median(relAdd))
    record('add relation → view current, p95 (ms)', pct(relAdd, 0.95))
  }

  if (bigParent) {
    // Re-parenting a subtask (under another task of depth < 2, or to top level), timed from
    // the operation to the store having notified: the tree is updated incrementally.
    const reparent: number[] = []
    const pickParent = rng(23 + rep)
    let before = notified
    // The 50 subtasks of the big parent stay where they are, for the next measure.
    const keep = new Set(getSubtasks(loaded, bigParent).map((t) => t.id))
    for (let i = 0; i < 300; i++) {
      const id = subtaskIds[Math.floor(pickParent() * subtaskIds.length)]!
      if (keep.has(id)) continue
      const to = i % 5 === 0 ? null : taskIds[Math.floor(pickParent() * taskIds.length)]!
      before = notified
      t0 = process.hrtime.bigint()
      const r = setParent(loaded, id, to === id ? null : to)
      const took = ms(t0)
      // A cycle is refused (nothing to update); count only re-parents that changed the view.
      if (r.ok && notified > before) reparent.push(took)
    }
    if (reparent.length < 150) throw new Error(`only ${reparent.length} re-parents applied`)
    record('re-parent → view current, median (ms)', median(reparent))
    record('re-parent → view current, p95 (ms)', pct(reparent, 0.95))

    // Opening a task with 50 subtasks: its detail and its subtask list. Each time one of
    // its subtasks was edited first, so the list is rebuilt, not served from the cache.
    const open: number[] = []
    for (let i = 0; i < 300; i++) {
      const kids = getSubtasks(loaded, bigParent)
      updateTask(loaded, kids[i % kids.length]!.id, { estimate: i % 8 })
      t0 = process.hrtime.bigint()
      const detail = getTask(loaded, bigParent)
      const list = getSubtasks(loaded, bigParent)
      open.push(ms(t0))
      if (!detail || list.length < 50) throw new Error(`parent has ${list.length} subtasks`)
    }
    record('open a task with 50 subtasks (getTask + getSubtasks), median (ms)', median(open))
    record('open a task with 50 subtasks (getTask + getSubtasks), p95 (ms)', pct(open, 0.95))
    const view = store.getSnapshot()
    const subs = view.columns.reduce((n, c) => n + c.tasks.filter((t) => t.depth > 0).length, 0)
    const deepest = Math.max(...view.columns.flatMap((c) => c.tasks.map((t) => t.depth)))
    record('subtasks on the board (count)', subs)
    record('deepest level (depth)', deepest)
  }
  store.destroy()
}

console.log(
  `# @taskflow/board benchmark: ${TASKS} tasks, ${RELATIONS} relations, ${FIELDS} custom fields, median of ${REPS} runs (min–max)`,
)
console.log(
  `node ${process.version}, yjs ${(await import('yjs/package.json', { with: { type: 'json' } })).default.version}`,
)
console.log('| measure | median | min–max |')
console.log('|---|---:|---:|')
for (const [k, xs] of Object.entries(results)) {
  const f = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0))
  console.log(`| ${k} | ${f(median(xs))} | ${f(Math.min(...xs))}–${f(Math.max(...xs))} |`)
}
