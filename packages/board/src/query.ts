import type { FieldDef } from './custom-fields.js'
import {
  customFieldTest,
  customGroups,
  customSortValue,
  type FieldRef,
  fieldIdOf,
  fieldRef,
  isFieldRef,
  parseCustomFilter,
} from './custom-fields-query.js'
import { COLUMN_CATEGORIES, type ColumnCategory, PRIORITIES, type Priority } from './schema.js'
import type { BoardView, ColumnView, TaskSummary } from './views.js'

/*
 * The one filter / sort / group model of every view (board, list, calendar, timeline).
 * Pure functions over `TaskSummary` rows of the incremental view store: nothing here reads
 * the document or the clock, so "today" and "me" come in through `QueryEnv`.
 */

/** The kinds of view a project shows; a saved view or a URL names one. */
export const VIEW_KINDS = ['board', 'list', 'calendar', 'timeline'] as const
export type ViewKind = (typeof VIEW_KINDS)[number]

/** Fields a filter can constrain (besides free text). */
export const FILTER_FIELDS = [
  'assignee',
  'label',
  'priority',
  'status',
  'due',
  'createdBy',
  'updatedBy',
] as const
export type FilterField = (typeof FILTER_FIELDS)[number]

/** Filter value meaning the current user (assignee, createdBy, updatedBy). */
export const ME = 'me'
/** Filter value meaning "none": unassigned, no label, no due date. */
export const NONE = 'none'
/** Due-date filter values besides `from..to` ranges (either end may be empty). */
export const DUE_PRESETS = ['overdue', 'today', 'week', 'none'] as const
export type DuePreset = (typeof DUE_PRESETS)[number]

/**
 * A filter: per field a list of values; a task matches a field when any of the values
 * matches, or every one for the fields listed in `all` (a custom field as `field:<id>`).
 * Fields combine with "and".
 * Values: user ids, `me` or `none` (assignee, createdBy, updatedBy); label ids or `none`;
 * priorities; status categories; due presets or a `YYYY-MM-DD..YYYY-MM-DD` range.
 * @example { fields: { assignee: ['me', 'none'], priority: ['high', 'urgent'] }, text: 'login' }
 */
export interface ViewFilter {
  fields: Partial<Record<FilterField, readonly string[]>>
  all?: readonly (FilterField | FieldRef)[]
  /**
   * Custom fields by id: a task matches a field when any value matches, or all of them when
   * `all` lists `field:<id>` (custom-fields-query.ts).
   */
  custom?: Readonly<Record<string, readonly string[]>>
  /** Words that must all occur in the title (case-insensitive). */
  text?: string
}

/** Keys a list can be sorted by; `manual` is board order (column, then the card's place). */
export const SORT_KEYS = [
  'manual',
  'title',
  'status',
  'assignee',
  'priority',
  'label',
  'startDate',
  'dueDate',
  'estimate',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
  'completedAt',
] as const
export type SortKey = (typeof SORT_KEYS)[number]
export interface SortSpec {
  /** A built-in key or a custom field (`field:<id>`). */
  key: SortKey | FieldRef
  desc?: boolean
}

export const GROUP_KEYS = ['none', 'status', 'assignee', 'priority', 'label', 'dueWeek'] as const
export type GroupKey = (typeof GROUP_KEYS)[number]

/** Columns a list / table can show; `title` is always shown first. */
export const LIST_COLUMNS = [
  'title',
  'status',
  'assignee',
  'priority',
  'label',
  'startDate',
  'dueDate',
  'estimate',
  'checklist',
  'comments',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
  'completedAt',
] as const
export type ListColumn = (typeof LIST_COLUMNS)[number]
export const DEFAULT_LIST_COLUMNS: readonly ListColumn[] = [
  'title',
  'status',
  'assignee',
  'priority',
  'label',
  'dueDate',
]

/** Everything a view shows besides the document: what a URL or a saved view reproduces. */
export interface ViewState {
  kind: ViewKind
  filter: ViewFilter
  sort: SortSpec
  /** A built-in grouping or a custom field (`field:<id>`). */
  group: GroupKey | FieldRef
  /** Built-in columns and custom fields (`field:<id>`). */
  columns: readonly (ListColumn | FieldRef)[]
  /** Calendar: a month or a week (default month). */
  calendar?: CalendarMode
  /** Calendar and timeline: the day they show around (default today), `YYYY-MM-DD`. */
  date?: string
  /** Calendar and timeline: first day of the week, 0 = Sunday … 6; default the locale's. */
  weekStartsOn?: number
  /** Timeline: what one step of the scale is (default week). */
  zoom?: TimelineZoom
  /** Every view: show only top-level tasks (subtasks are shown by default). */
  hideSubtasks?: true
}

export const CALENDAR_MODES = ['month', 'week'] as const
export type CalendarMode = (typeof CALENDAR_MODES)[number]
export const TIMELINE_ZOOMS = ['day', 'week', 'month'] as const
export type TimelineZoom = (typeof TIMELINE_ZOOMS)[number]

export const DEFAULT_VIEW_STATE: ViewState = Object.freeze({
  kind: 'board',
  filter: { fields: {} },
  sort: { key: 'manual' },
  group: 'none',
  columns: DEFAULT_LIST_COLUMNS,
}) as ViewState

/** What matching and ordering need besides the tasks. */
export interface QueryEnv {
  /** The current user's id (`me`); null matches nobody. */
  me: string | null
  /** Today, `YYYY-MM-DD`, in the user's time zone. Injected: tests never read the clock. */
  today: string
  /** Category of the column a task shows in. */
  categoryOf: (columnId: string) => ColumnCategory
  /** Position of a column on the board (status sort and grouping). */
  columnRank: (columnId: string) => number
  userName: (userId: string) => string
  labelName: (labelId: string) => string
  /** First day of the week for `week` and `dueWeek`: 0 = Sunday … 6 = Saturday; default 1. */
  weekStartsOn?: number
  /** The project's custom fields (`listFields`), for `field:<id>` filters, sorts and groups. */
  fields?: readonly FieldDef[]
}

/**
 * A `QueryEnv` reading columns from a board view.
 * @example envFromView(view, { me: user.id, today: '2026-12-04', userName: (id) => id, labelName: (id) => id })
 */
export function envFromView(
  view: Pick<BoardView, 'columns'>,
  rest: Omit<QueryEnv, 'categoryOf' | 'columnRank'>,
): QueryEnv {
  const rank = new Map<string, number>()
  const category = new Map<string, ColumnCategory>()
  view.columns.forEach((c, i) => {
    rank.set(c.id, i)
    category.set(c.id, c.category)
  })
  return {
    ...rest,
    categoryOf: (id) => category.get(id) ?? 'todo',
    columnRank: (id) => rank.get(id) ?? Number.MAX_SAFE_INTEGER,
  }
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** The first day of the week holding `date` (`weekStartsOn` as in QueryEnv). */
export function weekStart(date: string, weekStartsOn = 1): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay()
  return addDays(date, -((day - weekStartsOn + 7) % 7))
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** `from..to` with either side empty, or null when `value` is not a range. */
export function parseDueRange(value: string): { from: string | null; to: string | null } | null {
  const m = /^(\d{4}-\d{2}-\d{2})?\.\.(\d{4}-\d{2}-\d{2})?$/.exec(value)
  if (!m || (!m[1] && !m[2])) return null
  return { from: m[1] ?? null, to: m[2] ?? null }
}

export function isEmptyFilter(filter: ViewFilter): boolean {
  if (filter.text?.trim()) return false
  if (filter.custom && Object.values(filter.custom).some((v) => v.length > 0)) return false
  return FILTER_FIELDS.every((f) => !filter.fields[f]?.length)
}

type Test = (t: TaskSummary) => boolean

function personTest(value: string, env: QueryEnv, read: (t: TaskSummary) => readonly string[]) {
  if (value === NONE) return (t: TaskSummary) => read(t).length === 0
  const id = value === ME ? env.me : value
  return (t: TaskSummary) => id !== null && read(t).includes(id)
}

function valueTest(field: FilterField, value: string, env: QueryEnv): Test {
  switch (field) {
    case 'assignee':
      return personTest(value, env, (t) => t.assigneeIds)
    case 'label':
      return value === NONE ? (t) => t.labelIds.length === 0 : (t) => t.labelIds.includes(value)
    case 'priority':
      return (t) => t.priority === value
    case 'status':
      return (t) => env.categoryOf(t.columnId) === value
    case 'createdBy':
      return personTest(value, env, (t) => (t.createdBy ? [t.createdBy] : []))
    case 'updatedBy':
      return personTest(value, env, (t) => (t.updatedBy ? [t.updatedBy] : []))
    case 'due':
      return dueTest(value, env)
  }
}

function dueTest(value: string, env: QueryEnv): Test {
  const { today } = env
  switch (value) {
    case 'none':
      return (t) => t.dueDate === null
    case 'overdue':
      // Done tasks are never overdue: they show in a `done` column with a completion time.
      return (t) => t.dueDate !== null && t.dueDate < today && t.completedAt === null
    case 'today':
      return (t) => t.dueDate === today
    case 'week': {
      const end = addDays(weekStart(today, env.weekStartsOn ?? 1), 6)
      return (t) => t.dueDate !== null && t.dueDate >= today && t.dueDate <= end
    }
  }
  const range = parseDueRange(value)
  if (!range) return () => false
  return (t) =>
    t.dueDate !== null &&
    (range.from === null || t.dueDate >= range.from) &&
    (range.to === null || t.dueDate <= range.to)
}

/*
 * Lower-cased titles, one per summary object. An edit replaces a task's summary (never
 * changes it), so this stays right, and a keystroke in the filter box tests 10,000 titles
 * without lowering (allocating) each of them again.
 */
const lowerTitles = new WeakMap<TaskSummary, string>()
function lowerTitle(t: TaskSummary): string {
  let lower = lowerTitles.get(t)
  if (lower === undefined) {
    lower = t.title.toLowerCase()
    lowerTitles.set(t, lower)
  }
  return lower
}

/**
 * Lowers the titles a text filter tests ahead of the first key (the filter box calls it when
 * it gets focus): otherwise the first key typed lowers every title, ~10,000 on a big board.
 */
export function prepareTextFilter(tasks: Iterable<TaskSummary>): void {
  for (const t of tasks) lowerTitle(t)
}

/** Lower-cased words of a text filter; empty when there is nothing to match. */
export function textWords(text: string | undefined): string[] {
  return (text ?? '').toLowerCase().split(/\s+/).filter(Boolean)
}

/**
 * Compiles a filter into a predicate (do it once per filter, not per task).
 * @example tasks.filter(compileFilter({ fields: { assignee: ['me'] } }, env))
 */
export function compileFilter(filter: ViewFilter, env: QueryEnv): Test {
  const tests: Test[] = []
  for (const field of FILTER_FIELDS) {
    const values = filter.fields[field]
    if (!values?.length) continue
    const each = values.map((v) => valueTest(field, v, env))
    if (each.length === 1) tests.push(each[0]!)
    else if (filter.all?.includes(field)) tests.push((t) => each.every((f) => f(t)))
    else tests.push((t) => each.some((f) => f(t)))
  }
  for (const [fieldId, values] of Object.entries(filter.custom ?? {})) {
    if (!values.length) continue
    const field = env.fields?.find((f) => f.id === fieldId)
    const each = values.map((v) => customFieldTest(field, v, env.me))
    if (each.length === 1) tests.push(each[0]!)
    else if (filter.all?.includes(fieldRef(fieldId))) tests.push((t) => each.every((f) => f(t)))
    else tests.push((t) => each.some((f) => f(t)))
  }
  const words = textWords(filter.text)
  if (words.length > 0) {
    tests.push((t) => {
      const title = lowerTitle(t)
      return words.every((w) => title.includes(w))
    })
  }
  if (tests.length === 0) return () => true
  if (tests.length === 1) return tests[0]!
  return (t) => tests.every((f) => f(t))
}

/**
 * Keeps a filtered board view current cheaply: a column whose tasks did not change since the
 * last call (the view store keeps their array's identity) and a filter that did not change
 * keep the previous filtered column object, so an edit re-filters one column and memoised
 * columns skip rendering. Counts and WIP warnings are of the filtered tasks; `totalTasks`
 * is the column's unfiltered count.
 *
 * Typing in the filter box is the other hot path. `within`, when given, is a test that
 * `test` only narrows (every task `test` keeps, `within` keeps too: the text grew while the
 * rest of the filter stayed), so a column `within` filtered from the same tasks is filtered
 * again from that result rather than from all its tasks. The results of the last few tests
 * are kept per column, so going back to one (Backspace) filters nothing while the column's
 * tasks are unchanged; pass the same test object for the same filter (memoise it).
 * @example const filtered = createBoardFilter(); filtered(view, compileFilter(filter, env))
 */
export function createBoardFilter(): (
  view: BoardView,
  test: Test | null,
  within?: Test | null,
) => FilteredBoardView {
  // Per column: the tasks the results were filtered from, and recent tests' results (oldest first).
  const cache = new Map<string, { src: ColumnView; results: Map<Test, FilteredColumnView> }>()
  let last: { view: BoardView; test: Test | null; out: FilteredBoardView } | null = null
  return (view, test, within = null) => {
    if (last && last.view === view && last.test === test) return last.out
    const columns = view.columns.map((c) => {
      if (!test) return unfiltered(c)
      let entry = cache.get(c.id)
      if (!entry || entry.src !== c) {
        entry = { src: c, results: new Map() }
        cache.set(c.id, entry)
      }
      const hit = entry.results.get(test)
      if (hit) return hit
      const narrowed = within ? entry.results.get(within) : undefined
      const out = filterColumn(c, test, narrowed?.tasks ?? c.tasks)
      if (entry.results.size >= RECENT_FILTERS) {
        entry.results.delete(entry.results.keys().next().value as Test)
      }
      entry.results.set(test, out)
      return out
    })
    // Columns deleted since: their results go.
    if (cache.size > view.columns.length) {
      const live = new Set(view.columns.map((c) => c.id))
      for (const id of cache.keys()) if (!live.has(id)) cache.delete(id)
    }
    const out = { ...view, columns }
    last = { view, test, out }
    return out
  }
}

/** Filters' results kept per column (about a word typed and deleted again). */
const RECENT_FILTERS = 16

/**
 * True when every task matching the text `next` also matches `prev` (each of `prev`'s words
 * is inside one of `next`'s): the text filter only narrowed, e.g. `rev` → `revi`.
 */
export function textNarrows(prev: string | undefined, next: string | undefined): boolean {
  const nextWords = textWords(next)
  return textWords(prev).every((w) => nextWords.some((n) => n.includes(w)))
}

export interface FilteredColumnView extends ColumnView {
  /** Live tasks in the column before filtering. */
  totalTasks: number
}
export interface FilteredBoardView extends BoardView {
  columns: readonly FilteredColumnView[]
}

const unfilteredCache = new WeakMap<ColumnView, FilteredColumnView>()
function unfiltered(c: ColumnView): FilteredColumnView {
  let out = unfilteredCache.get(c)
  if (!out) {
    out = { ...c, totalTasks: c.tasks.length }
    unfilteredCache.set(c, out)
  }
  return out
}

/** `c` with the tasks of `from` (its tasks, or a subset known to hold every match) that pass. */
function filterColumn(c: ColumnView, test: Test, from: readonly TaskSummary[]): FilteredColumnView {
  const tasks = from.filter(test)
  return {
    ...c,
    tasks,
    totalTasks: c.tasks.length,
    overWipLimit: c.wipLimit !== null && tasks.length > c.wipLimit,
  }
}

/** Every live task of the view, in board order (columns left to right, then top to bottom). */
export function boardTasks(view: Pick<BoardView, 'columns'>): TaskSummary[] {
  const out: TaskSummary[] = []
  for (const c of view.columns) for (const t of c.tasks) out.push(t)
  return out
}

const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, medium: 2, low: 3, none: 4 }

type Key = string | number | null
function sortValue(t: TaskSummary, key: SortKey | FieldRef, env: QueryEnv): Key {
  if (isFieldRef(key)) {
    const id = fieldIdOf(key)
    return customSortValue(
      env.fields?.find((f) => f.id === id),
      t,
      env.userName,
    )
  }
  switch (key) {
    case 'manual':
      return null
    case 'title':
      return t.title.toLocaleLowerCase()
    case 'status':
      return env.columnRank(t.columnId)
    case 'assignee':
      return t.assigneeIds.length
        ? t.assigneeIds
            .map(env.userName)
            .sort((a, b) => a.localeCompare(b))[0]!
            .toLocaleLowerCase()
        : null
    case 'label':
      return t.labelIds.length
        ? t.labelIds
            .map(env.labelName)
            .sort((a, b) => a.localeCompare(b))[0]!
            .toLocaleLowerCase()
        : null
    case 'priority':
      // `none` sorts with the empty values: last either way.
      return t.priority === 'none' ? null : PRIORITY_RANK[t.priority]
    case 'createdBy':
      return t.createdBy ? env.userName(t.createdBy).toLocaleLowerCase() : null
    case 'updatedBy':
      return t.updatedBy ? env.userName(t.updatedBy).toLocaleLowerCase() : null
    default:
      return t[key]
  }
}

/** Board order: column position, then the card's key, then id (B2). */
export function compareManual(env: QueryEnv): (a: TaskSummary, b: TaskSummary) => number {
  return (a, b) =>
    env.columnRank(a.columnId) - env.columnRank(b.columnId) ||
    (a.order < b.order ? -1 : a.order > b.order ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/**
 * Tasks sorted by `sort`; empty values last in either direction, ties in board order, so
 * the result is the same on every replica. Returns a new array.
 * @example sortTasks(tasks, { key: 'dueDate' }, env)
 */
export function sortTasks(
  tasks: readonly TaskSummary[],
  sort: SortSpec,
  env: QueryEnv,
): TaskSummary[] {
  const manual = compareManual(env)
  if (sort.key === 'manual') {
    const out = [...tasks].sort(manual)
    return sort.desc ? out.reverse() : out
  }
  // Decorate once: computing names inside the comparator would run n log n times.
  const keyed = tasks.map((t) => ({ t, k: sortValue(t, sort.key, env) }))
  const dir = sort.desc ? -1 : 1
  keyed.sort((a, b) => {
    if (a.k !== b.k) {
      if (a.k === null) return 1
      if (b.k === null) return -1
      if (a.k < b.k) return -dir
      if (a.k > b.k) return dir
    }
    return manual(a.t, b.t)
  })
  return keyed.map((x) => x.t)
}

export interface TaskGroup {
  /** Stable key: a column id, user id, priority, label id, week start date, or `none`. */
  key: string
  /** What to call the group (names resolved through the env). */
  label: string
  tasks: TaskSummary[]
}

function weekLabel(start: string): string {
  return `Week of ${start}`
}

/**
 * Tasks grouped by `group`, each group keeping the order of `tasks`. Tasks with several
 * assignees or labels appear in each of their groups; tasks without one go to the `none`
 * group, last. Status groups are the board's columns in order (empty ones included, so a
 * list shows where to add); other kinds list only groups that have tasks.
 * @example groupTasks(sortTasks(tasks, sort, env), 'assignee', env, view.columns)
 */
export function groupTasks(
  tasks: readonly TaskSummary[],
  group: GroupKey | FieldRef,
  env: QueryEnv,
  columns: readonly { id: string; name: string }[] = [],
): TaskGroup[] {
  if (group === 'none') return [{ key: 'all', label: 'All tasks', tasks: [...tasks] }]
  if (isFieldRef(group)) return groupByField(tasks, fieldIdOf(group), env)
  const groups = new Map<string, TaskGroup>()
  const add = (key: string, label: string, t: TaskSummary) => {
    let g = groups.get(key)
    if (!g) {
      g = { key, label, tasks: [] }
      groups.set(key, g)
    }
    g.tasks.push(t)
  }
  if (group === 'status')
    for (const c of columns) groups.set(c.id, { key: c.id, label: c.name, tasks: [] })
  for (const t of tasks) {
    switch (group) {
      case 'status':
        add(t.columnId, columns.find((c) => c.id === t.columnId)?.name ?? 'No column', t)
        break
      case 'priority':
        add(t.priority, t.priority === 'none' ? 'No priority' : capitalise(t.priority), t)
        break
      case 'assignee':
        if (t.assigneeIds.length === 0) add(NONE, 'Unassigned', t)
        for (const id of t.assigneeIds) add(id, env.userName(id), t)
        break
      case 'label':
        if (t.labelIds.length === 0) add(NONE, 'No label', t)
        for (const id of t.labelIds) add(id, env.labelName(id), t)
        break
      case 'dueWeek':
        if (t.dueDate === null) add(NONE, 'No due date', t)
        else {
          const start = weekStart(t.dueDate, env.weekStartsOn ?? 1)
          add(start, weekLabel(start), t)
        }
        break
    }
  }
  const out = [...groups.values()]
  const noneLast = (a: TaskGroup, b: TaskGroup) =>
    (a.key === NONE ? 1 : 0) - (b.key === NONE ? 1 : 0)
  switch (group) {
    case 'status':
      return out.sort((a, b) => env.columnRank(a.key) - env.columnRank(b.key))
    case 'priority':
      return out.sort((a, b) => PRIORITY_RANK[a.key as Priority] - PRIORITY_RANK[b.key as Priority])
    case 'dueWeek':
      return out.sort((a, b) => noneLast(a, b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    default:
      return out.sort(
        (a, b) => noneLast(a, b) || a.label.localeCompare(b.label) || (a.key < b.key ? -1 : 1),
      )
  }
}

// Groups in the field's option order (removed options after live ones), "no value" last.
function groupByField(tasks: readonly TaskSummary[], fieldId: string, env: QueryEnv): TaskGroup[] {
  const field = env.fields?.find((f) => f.id === fieldId)
  const groups = new Map<string, TaskGroup & { rank: number }>()
  for (const t of tasks) {
    for (const g of customGroups(field, t, env.userName)) {
      let out = groups.get(g.key)
      if (!out) {
        out = { key: g.key, label: g.label, rank: g.rank, tasks: [] }
        groups.set(g.key, out)
      }
      out.tasks.push(t)
    }
  }
  return [...groups.values()]
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        a.label.localeCompare(b.label) ||
        (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    )
    .map(({ rank: _rank, ...g }) => g)
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

// --- Parsing a view state from untrusted input (URL, saved view in a document) ---

const MAX_VALUES = 50
const MAX_VALUE_LENGTH = 64
/** Longest free-text filter. */
export const MAX_FILTER_TEXT = 200

function oneOf<T extends string>(all: readonly T[], v: unknown): v is T {
  return typeof v === 'string' && (all as readonly string[]).includes(v)
}

function validValue(field: FilterField, v: unknown): v is string {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_VALUE_LENGTH) return false
  switch (field) {
    case 'priority':
      return oneOf(PRIORITIES, v)
    case 'status':
      return oneOf(COLUMN_CATEGORIES, v)
    case 'due':
      return oneOf(DUE_PRESETS, v) || (parseDueRange(v) !== null && validRange(v))
    default:
      return true
  }
}

function validRange(v: string): boolean {
  const r = parseDueRange(v)!
  // Round-tripping catches days a month does not have (Date would roll 02-30 into March).
  const ok = (d: string | null) =>
    d === null ||
    (DATE.test(d) &&
      !Number.isNaN(Date.parse(d)) &&
      new Date(`${d}T00:00:00Z`).toISOString().startsWith(d))
  return ok(r.from) && ok(r.to) && (r.from === null || r.to === null || r.from <= r.to)
}

/**
 * A filter from untrusted input: unknown fields, bad values and duplicates are dropped, never
 * thrown (a saved view written by a newer app keeps working with what this one knows).
 */
export function parseViewFilter(input: unknown): ViewFilter {
  const src = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>
  const rawFields = (
    typeof src.fields === 'object' && src.fields !== null ? src.fields : {}
  ) as Record<string, unknown>
  const fields: Partial<Record<FilterField, string[]>> = {}
  for (const f of FILTER_FIELDS) {
    const v = rawFields[f]
    if (!Array.isArray(v)) continue
    const values = [...new Set(v.filter((x) => validValue(f, x)))].slice(0, MAX_VALUES)
    if (values.length) fields[f] = values
  }
  const all = Array.isArray(src.all)
    ? [
        ...new Set(
          src.all.filter(
            (f): f is FilterField | FieldRef => oneOf(FILTER_FIELDS, f) || isFieldRef(f),
          ),
        ),
      ]
    : []
  const text = typeof src.text === 'string' ? src.text.slice(0, MAX_FILTER_TEXT) : ''
  const custom = parseCustomFilter(src.custom)
  return {
    fields,
    ...(all.length ? { all } : {}),
    ...(custom ? { custom } : {}),
    ...(text.trim() ? { text } : {}),
  }
}

/** A whole view state from untrusted input; anything unknown falls back to the default. */
export function parseViewState(input: unknown): ViewState {
  const src = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>
  const sortSrc = (typeof src.sort === 'object' && src.sort !== null ? src.sort : {}) as Record<
    string,
    unknown
  >
  const columns = Array.isArray(src.columns)
    ? [
        ...new Set(
          src.columns.filter(
            (c): c is ListColumn | FieldRef => oneOf(LIST_COLUMNS, c) || isFieldRef(c),
          ),
        ),
      ].slice(0, 40)
    : []
  return {
    kind: oneOf(VIEW_KINDS, src.kind) ? src.kind : DEFAULT_VIEW_STATE.kind,
    filter: parseViewFilter(src.filter),
    sort: {
      key: oneOf(SORT_KEYS, sortSrc.key) || isFieldRef(sortSrc.key) ? sortSrc.key : 'manual',
      ...(sortSrc.desc === true ? { desc: true } : {}),
    },
    group: oneOf(GROUP_KEYS, src.group) || isFieldRef(src.group) ? src.group : 'none',
    columns: columns.length
      ? ['title', ...columns.filter((c) => c !== 'title')]
      : DEFAULT_LIST_COLUMNS,
    // Calendar / timeline options: present only when set, so older states compare equal.
    ...(src.calendar === 'week' ? { calendar: 'week' as const } : {}),
    ...(typeof src.date === 'string' && DATE.test(src.date) && validRange(`${src.date}..`)
      ? { date: src.date }
      : {}),
    ...(Number.isInteger(src.weekStartsOn) &&
    (src.weekStartsOn as number) >= 0 &&
    (src.weekStartsOn as number) <= 6
      ? { weekStartsOn: src.weekStartsOn as number }
      : {}),
    ...(src.zoom === 'day' || src.zoom === 'month' ? { zoom: src.zoom } : {}),
    ...(src.hideSubtasks === true ? { hideSubtasks: true as const } : {}),
  }
}
