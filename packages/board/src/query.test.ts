import { describe, expect, it } from 'vitest'
import {
  compileFilter,
  createBoardFilter,
  envFromView,
  groupTasks,
  parseViewState,
  type QueryEnv,
  sortTasks,
  textNarrows,
  type ViewFilter,
  weekStart,
} from './query.js'
import type { BoardView, ColumnView, TaskSummary } from './views.js'

const TODAY = '2026-03-11' // a Wednesday; never the real date

let seq = 0
function task(p: Partial<TaskSummary> & { title?: string }): TaskSummary {
  seq++
  return {
    id: p.id ?? `t${String(seq).padStart(3, '0')}`,
    title: p.title ?? `Task ${seq}`,
    columnId: 'todo',
    order: `a${seq}`,
    priority: 'none',
    startDate: null,
    dueDate: null,
    estimate: null,
    assigneeIds: [],
    labelIds: [],
    checklist: { done: 0, total: 0 },
    commentCount: 0,
    createdAt: null,
    createdBy: null,
    updatedAt: null,
    updatedBy: null,
    completedAt: null,
    deletedAt: null,
    replacedMovesBy: [],
    fields: {},
    blockedBy: [],
    parentId: null,
    depth: 0,
    parentTitle: null,
    subtaskProgress: null,
    ...p,
  }
}

function column(id: string, category: ColumnView['category'], tasks: TaskSummary[]): ColumnView {
  return {
    id,
    name: id.toUpperCase(),
    category,
    order: id,
    wipLimit: 2,
    tasks,
    overWipLimit: false,
  }
}

const NAMES: Record<string, string> = { ada: 'Ada', bob: 'Bob', zoe: 'Zoe' }
const LABELS: Record<string, string> = { bug: 'bug', ui: 'UI' }

function board(cols: ColumnView[]): BoardView {
  return { name: 'b', description: '', schemaVersion: 3, columns: cols, trash: [] }
}

function env(view: BoardView, over: Partial<QueryEnv> = {}): QueryEnv {
  return {
    ...envFromView(view, {
      me: 'ada',
      today: TODAY,
      userName: (id) => NAMES[id] ?? id,
      labelName: (id) => LABELS[id] ?? id,
    }),
    ...over,
  }
}

function ids(tasks: readonly TaskSummary[]): string[] {
  return tasks.map((t) => t.id)
}

describe('filters', () => {
  const mine = task({ id: 'mine', assigneeIds: ['ada'], labelIds: ['bug'], priority: 'high' })
  const both = task({ id: 'both', assigneeIds: ['ada', 'bob'], labelIds: ['bug', 'ui'] })
  const bobs = task({ id: 'bobs', assigneeIds: ['bob'], createdBy: 'bob', updatedBy: 'ada' })
  const nobody = task({ id: 'nobody', title: 'Fix the Login page', priority: 'urgent' })
  const doneLate = task({
    id: 'doneLate',
    columnId: 'done',
    dueDate: '2026-03-01',
    completedAt: 1,
  })
  const view = board([
    column('todo', 'todo', [mine, both, bobs, nobody]),
    column('done', 'done', [doneLate]),
  ])
  const all = [mine, both, bobs, nobody, doneLate]
  const run = (filter: ViewFilter, over?: Partial<QueryEnv>) =>
    ids(all.filter(compileFilter(filter, env(view, over))))

  it('an empty filter keeps every task', () => {
    expect(run({ fields: {} })).toEqual(ids(all))
  })

  it('"me" is the current user and "none" the unassigned tasks', () => {
    expect(run({ fields: { assignee: ['me'] } })).toEqual(['mine', 'both'])
    expect(run({ fields: { assignee: ['none'] } })).toEqual(['nobody', 'doneLate'])
    expect(run({ fields: { assignee: ['me', 'none'] } })).toEqual([
      'mine',
      'both',
      'nobody',
      'doneLate',
    ])
  })

  it('"me" matches nobody while the user is unknown', () => {
    expect(run({ fields: { assignee: ['me'] } }, { me: null })).toEqual([])
  })

  it('values of one field combine with any by default and with all when asked', () => {
    expect(run({ fields: { assignee: ['ada', 'bob'] } })).toEqual(['mine', 'both', 'bobs'])
    expect(run({ fields: { assignee: ['ada', 'bob'] }, all: ['assignee'] })).toEqual(['both'])
    expect(run({ fields: { label: ['bug', 'ui'] }, all: ['label'] })).toEqual(['both'])
    expect(run({ fields: { label: ['none'] } })).toEqual(['bobs', 'nobody', 'doneLate'])
  })

  it('different fields combine with and', () => {
    expect(run({ fields: { assignee: ['me'], priority: ['high'] } })).toEqual(['mine'])
  })

  it('status filters by the category of the column the task shows in', () => {
    expect(run({ fields: { status: ['done'] } })).toEqual(['doneLate'])
    expect(run({ fields: { status: ['todo', 'in_progress'] } })).toEqual([
      'mine',
      'both',
      'bobs',
      'nobody',
    ])
  })

  it('created by and updated by, with "me"', () => {
    expect(run({ fields: { createdBy: ['bob'] } })).toEqual(['bobs'])
    expect(run({ fields: { updatedBy: ['me'] } })).toEqual(['bobs'])
    expect(run({ fields: { createdBy: ['none'] } })).toEqual(['mine', 'both', 'nobody', 'doneLate'])
  })

  it('text matches every word of the title, ignoring case and order', () => {
    expect(run({ fields: {}, text: 'login fix' })).toEqual(['nobody'])
    expect(run({ fields: {}, text: '  ' })).toEqual(ids(all))
    expect(run({ fields: {}, text: 'login nope' })).toEqual([])
  })

  it('text sees a renamed task by its new title (the edit made a new summary)', () => {
    const login = compileFilter({ fields: {}, text: 'login' }, env(view))
    expect(login(nobody)).toBe(true)
    const renamed = { ...nobody, title: 'Checkout page' }
    expect(login(renamed)).toBe(false)
    expect(compileFilter({ fields: {}, text: 'CHECKOUT' }, env(view))(renamed)).toBe(true)
  })

  describe('due dates against an injected today', () => {
    const due = (d: string | null, completedAt: number | null = null) =>
      task({ id: `due-${d}-${completedAt}`, dueDate: d, completedAt })
    const tasks = [
      due('2026-03-10'),
      due('2026-03-10', 5),
      due(TODAY),
      due('2026-03-15'), // Sunday: last day of a Monday-first week
      due('2026-03-16'),
      due(null),
    ]
    const v = board([column('todo', 'todo', tasks)])
    const pick = (values: string[], over?: Partial<QueryEnv>) =>
      tasks.filter(compileFilter({ fields: { due: values } }, env(v, over))).map((t) => t.dueDate)

    it('overdue is before today and not done', () => {
      expect(pick(['overdue'])).toEqual(['2026-03-10'])
    })
    it('today, none', () => {
      expect(pick(['today'])).toEqual([TODAY])
      expect(pick(['none'])).toEqual([null])
    })
    it('this week runs from today to the end of the week, by the first day of the week', () => {
      expect(pick(['week'])).toEqual([TODAY, '2026-03-15'])
      // Sunday-first: the week of Wed 11 March ends on Saturday 14.
      expect(pick(['week'], { weekStartsOn: 0 })).toEqual([TODAY])
    })
    it('a range includes both ends; an open end is unbounded', () => {
      expect(pick(['2026-03-11..2026-03-15'])).toEqual([TODAY, '2026-03-15'])
      expect(pick(['2026-03-15..'])).toEqual(['2026-03-15', '2026-03-16'])
      expect(pick(['..2026-03-10'])).toEqual(['2026-03-10', '2026-03-10'])
    })
    it('a malformed range matches nothing rather than everything', () => {
      expect(pick(['soon'])).toEqual([])
    })
  })
})

describe('filtered board', () => {
  it('counts and WIP warnings are of the filtered tasks; unchanged columns keep identity', () => {
    const a = task({ assigneeIds: ['ada'] })
    const b = task({ assigneeIds: ['ada'] })
    const c = task({ assigneeIds: ['ada'] })
    const d = task({})
    const todo = column('todo', 'todo', [a, b, c, d])
    const doing = column('doing', 'in_progress', [task({})])
    const view = board([todo, doing])
    const filtered = createBoardFilter()
    const mine = compileFilter({ fields: { assignee: ['me'] } }, env(view))
    const first = filtered(view, mine)
    expect(first.columns[0]!.tasks.length).toBe(3)
    expect(first.columns[0]!.totalTasks).toBe(4)
    expect(first.columns[0]!.overWipLimit).toBe(true)
    expect(first.columns[1]!.tasks.length).toBe(0)
    expect(first.columns[1]!.overWipLimit).toBe(false)

    // An edit in one column (the store gives it a new object) re-filters only that column.
    const edited = board([column('todo', 'todo', [a, b, d]), doing])
    const second = filtered(edited, mine)
    expect(second.columns[1]).toBe(first.columns[1])
    expect(second.columns[0]!.tasks.length).toBe(2)
    expect(second.columns[0]!.overWipLimit).toBe(false)

    // No filter: the columns as they are, with their totals.
    const none = filtered(edited, null)
    expect(none.columns[0]!.tasks).toBe(edited.columns[0]!.tasks)
    expect(none.columns[0]!.totalTasks).toBe(3)
  })

  it('a longer text filters the last result; going back reuses a result; an edit refilters', () => {
    const a = task({ title: 'Review login' })
    const b = task({ title: 'Review signup' })
    const c = task({ title: 'Fix login' })
    const todo = column('todo', 'todo', [a, b, c])
    const view = board([todo])
    const filtered = createBoardFilter()
    const text = (t: string) => compileFilter({ fields: {}, text: t }, env(view))
    const rev = text('rev')
    expect(filtered(view, rev).columns[0]!.tasks).toEqual([a, b])
    // `within` says only rev's tasks can match: c is not tested again (a test that would
    // keep it shows it was not asked).
    const keepsAll = (t: TaskSummary) => t === c || text('review l')(t)
    expect(filtered(view, keepsAll, rev).columns[0]!.tasks).toEqual([a])
    // Back to `rev`: the same result object, nothing filtered.
    const back = filtered(view, rev)
    expect(back.columns[0]).toBe(filtered(view, rev).columns[0])
    expect(back.columns[0]!.tasks).toEqual([a, b])
    // The column's tasks changed: the kept result is not used, even with the same test.
    const renamed = { ...b, title: 'Fix signup' }
    const edited = board([column('todo', 'todo', [a, renamed, c])])
    expect(filtered(edited, rev).columns[0]!.tasks).toEqual([a])
    expect(filtered(edited, keepsAll, rev).columns[0]!.tasks).toEqual([a])
  })

  it('text narrows when each earlier word is inside a later one', () => {
    expect(textNarrows('rev', 'revi')).toBe(true)
    expect(textNarrows('', 'r')).toBe(true)
    expect(textNarrows('rev log', 'login review')).toBe(true)
    expect(textNarrows('revi', 'rev')).toBe(false)
    expect(textNarrows('rev', 'fix')).toBe(false)
    expect(textNarrows('r', '')).toBe(false)
  })
})

describe('sorting', () => {
  const t1 = task({
    id: 'x1',
    title: 'beta',
    dueDate: '2026-03-12',
    priority: 'low',
    assigneeIds: ['zoe'],
  })
  const t2 = task({ id: 'x2', title: 'Alpha', dueDate: null, priority: 'urgent', assigneeIds: [] })
  const t3 = task({
    id: 'x3',
    title: 'gamma',
    dueDate: '2026-03-01',
    priority: 'none',
    assigneeIds: ['bob', 'zoe'],
  })
  const t4 = task({
    id: 'x4',
    title: 'alpha',
    dueDate: '2026-03-12',
    priority: 'high',
    columnId: 'done',
  })
  const view = board([column('todo', 'todo', [t1, t2, t3]), column('done', 'done', [t4])])
  const e = env(view)
  const all = [t4, t3, t2, t1]

  it('manual is board order: column, then place', () => {
    expect(ids(sortTasks(all, { key: 'manual' }, e))).toEqual(['x1', 'x2', 'x3', 'x4'])
  })
  it('text ignores case; ties keep board order', () => {
    expect(ids(sortTasks(all, { key: 'title' }, e))).toEqual(['x2', 'x4', 'x1', 'x3'])
  })
  it('empty values go last in both directions', () => {
    expect(ids(sortTasks(all, { key: 'dueDate' }, e))).toEqual(['x3', 'x1', 'x4', 'x2'])
    expect(ids(sortTasks(all, { key: 'dueDate', desc: true }, e))).toEqual(['x1', 'x4', 'x3', 'x2'])
  })
  it('priority puts urgent first and no priority last', () => {
    expect(ids(sortTasks(all, { key: 'priority' }, e))).toEqual(['x2', 'x4', 'x1', 'x3'])
  })
  it('assignee sorts by the first name alphabetically, unassigned last', () => {
    expect(ids(sortTasks(all, { key: 'assignee' }, e))).toEqual(['x3', 'x1', 'x2', 'x4'])
  })
  it('status sorts by column position', () => {
    expect(ids(sortTasks(all, { key: 'status', desc: true }, e))).toEqual(['x4', 'x1', 'x2', 'x3'])
  })
  it('does not change its input', () => {
    const input = [...all]
    sortTasks(input, { key: 'title' }, e)
    expect(ids(input)).toEqual(ids(all))
  })
})

describe('grouping', () => {
  const a = task({
    id: 'a',
    assigneeIds: ['bob', 'ada'],
    labelIds: ['ui'],
    priority: 'low',
    dueDate: '2026-03-15',
  })
  const b = task({
    id: 'b',
    labelIds: [],
    priority: 'urgent',
    dueDate: '2026-03-16',
    columnId: 'done',
  })
  const c = task({ id: 'c', assigneeIds: ['ada'], labelIds: ['bug'], dueDate: null })
  const view = board([
    column('todo', 'todo', [a, c]),
    column('doing', 'in_progress', []),
    column('done', 'done', [b]),
  ])
  const e = env(view)
  const summary = (groups: ReturnType<typeof groupTasks>) =>
    groups.map((g) => [g.label, ids(g.tasks)])

  it('by status lists every column in board order, empty ones too', () => {
    expect(summary(groupTasks([a, b, c], 'status', e, view.columns))).toEqual([
      ['TODO', ['a', 'c']],
      ['DOING', []],
      ['DONE', ['b']],
    ])
  })
  it('by assignee puts a task under each assignee, unassigned last', () => {
    expect(summary(groupTasks([a, b, c], 'assignee', e))).toEqual([
      ['Ada', ['a', 'c']],
      ['Bob', ['a']],
      ['Unassigned', ['b']],
    ])
  })
  it('by priority from urgent to none', () => {
    expect(summary(groupTasks([a, b, c], 'priority', e))).toEqual([
      ['Urgent', ['b']],
      ['Low', ['a']],
      ['No priority', ['c']],
    ])
  })
  it('by label by name, no label last', () => {
    expect(summary(groupTasks([a, b, c], 'label', e))).toEqual([
      ['bug', ['c']],
      ['UI', ['a']],
      ['No label', ['b']],
    ])
  })
  it('by due week from the first day of the week, no date last', () => {
    expect(summary(groupTasks([a, b, c], 'dueWeek', e))).toEqual([
      ['Week of 2026-03-09', ['a']],
      ['Week of 2026-03-16', ['b']],
      ['No due date', ['c']],
    ])
    expect(weekStart('2026-03-15', 0)).toBe('2026-03-15')
  })
  it('keeps the order it was given inside each group', () => {
    expect(summary(groupTasks([c, a], 'assignee', e))[0]).toEqual(['Ada', ['c', 'a']])
  })
})

describe('view state from untrusted input', () => {
  it('drops unknown fields, bad values and duplicates instead of failing', () => {
    const state = parseViewState({
      kind: 'gantt',
      filter: {
        fields: {
          assignee: ['me', 'me', 7, ''],
          priority: ['high', 'extreme'],
          due: ['overdue', '2026-02-30..', '2026-03-10..2026-03-01', '2026-03-01..'],
          colour: ['red'],
        },
        all: ['assignee', 'nope'],
        text: 42,
      },
      sort: { key: 'dueDate', desc: 'yes' },
      group: 'moon',
      columns: ['dueDate', 'bogus', 'dueDate'],
    })
    expect(state).toEqual({
      kind: 'board',
      filter: {
        fields: { assignee: ['me'], priority: ['high'], due: ['overdue', '2026-03-01..'] },
        all: ['assignee'],
      },
      sort: { key: 'dueDate' },
      group: 'none',
      columns: ['title', 'dueDate'],
    })
  })
  it('keeps "hide subtasks" only when it is exactly true', () => {
    expect(parseViewState({ hideSubtasks: true }).hideSubtasks).toBe(true)
    expect(parseViewState({ hideSubtasks: 'yes' })).not.toHaveProperty('hideSubtasks')
    expect(parseViewState({ hideSubtasks: false })).not.toHaveProperty('hideSubtasks')
  })
  it('anything that is not an object is the default view', () => {
    expect(parseViewState('x')).toEqual(parseViewState(undefined))
    expect(parseViewState(null).kind).toBe('board')
  })
})
