import type { AwayChange, AwayTask } from '@taskflow/api'
import type { ActivityRow } from '../activity/activity.repository.js'

/** An activity entry as the summary needs it; `data` already parsed. */
export type AwayEntry = Pick<
  ActivityRow,
  'task_id' | 'kind' | 'subject' | 'user_id' | 'last_at'
> & {
  data: Record<string, unknown>
}

const SCALAR_FIELDS = new Set(['title', 'priority', 'startDate', 'dueDate', 'estimate'])
const SET_FIELDS = new Set(['assignees', 'labels'])

/** A change being folded: what the first entry saw before, and what the last one left. */
interface Fold {
  change: AwayChange
  /** Scalar `from` of the first entry; moves: the first column. */
  first: unknown
  /** Per checklist item: done before the window, done after. */
  items?: Map<string, { before: boolean; after: boolean }>
  /** Task trash state before the window. */
  wasDeleted?: boolean
  deleted?: boolean
}

interface TaskFold {
  taskId: string
  title: string
  lastAt: number
  userIds: string[]
  folds: Map<string, Fold>
}

const addUser = (ids: string[], id: string | null) => {
  if (id !== null && !ids.includes(id)) ids.push(id)
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [])

/** The fold key of an entry (one change per part of a task), or null for kinds left out. */
function keyOf(e: AwayEntry): string | null {
  switch (e.kind) {
    case 'task_created':
      return 'created'
    case 'task_moved':
      return 'moved'
    case 'field_changed':
      return `field:${typeof e.data.field === 'string' ? e.data.field : e.subject}`
    case 'comment_added':
      return 'comments'
    case 'checklist_item_done':
    case 'checklist_item_undone':
      return 'checklist'
    case 'task_deleted':
    case 'task_restored':
      return 'trash'
    default:
      // move_replaced: the move that stands is a task_moved already; the replaced one changed nothing.
      return null
  }
}

function start(e: AwayEntry, key: string, at: string): Fold {
  const d = e.data
  const base = { userIds: [] as string[], at }
  switch (key) {
    case 'created':
      return { change: { ...base, kind: 'created' }, first: null }
    case 'moved':
      return {
        change: {
          ...base,
          kind: 'moved',
          fromColumnId: (d.fromColumnId as string | null) ?? null,
          fromColumnName: (d.fromColumnName as string | null) ?? null,
        },
        first: d.fromColumnId ?? null,
      }
    case 'comments':
      return { change: { ...base, kind: 'comments', count: 0 }, first: null }
    case 'checklist':
      return { change: { ...base, kind: 'checklist' }, first: null, items: new Map() }
    case 'trash':
      return {
        change: { ...base, kind: 'deleted' },
        first: null,
        wasDeleted: e.kind === 'task_restored',
      }
    default: {
      const field = key.slice('field:'.length)
      const change: AwayChange = { ...base, kind: 'field', field }
      if (SCALAR_FIELDS.has(field)) change.from = d.from ?? null
      if (SET_FIELDS.has(field)) {
        change.added = []
        change.removed = []
        if (field === 'labels') change.names = {}
      }
      return { change, first: d.from ?? null }
    }
  }
}

/** Folds one more entry (later than the ones before) into its change. */
function fold(f: Fold, e: AwayEntry, at: string): void {
  const c = f.change
  const d = e.data
  addUser(c.userIds, e.user_id)
  c.at = at
  switch (c.kind) {
    case 'moved':
      c.toColumnId = (d.toColumnId as string | null) ?? null
      c.toColumnName = (d.toColumnName as string | null) ?? null
      return
    case 'comments':
      c.count = (c.count ?? 0) + 1
      return
    case 'checklist': {
      const id = typeof d.itemId === 'string' ? d.itemId : e.subject
      const done = e.kind === 'checklist_item_done'
      const item = f.items!.get(id)
      if (item) item.after = done
      else f.items!.set(id, { before: !done, after: done })
      return
    }
    case 'deleted':
    case 'restored':
      f.deleted = e.kind === 'task_deleted'
      return
    case 'field': {
      if (SCALAR_FIELDS.has(c.field!)) c.to = d.to ?? null
      else if (SET_FIELDS.has(c.field!)) {
        // Net set change, as activity grouping does: adding what was removed cancels out.
        const added = new Set(c.added)
        const removed = new Set(c.removed)
        for (const x of strings(d.added)) {
          if (removed.has(x)) removed.delete(x)
          else added.add(x)
        }
        for (const x of strings(d.removed)) {
          if (added.has(x)) added.delete(x)
          else removed.add(x)
        }
        c.added = [...added].sort()
        c.removed = [...removed].sort()
        if (c.names && d.names && typeof d.names === 'object') {
          c.names = { ...c.names, ...(d.names as Record<string, string>) }
        }
      }
      return
    }
    default:
      return
  }
}

/** The change as reported, or null when it came to nothing over the window. */
function finish(f: Fold): AwayChange | null {
  const c = f.change
  switch (c.kind) {
    case 'moved':
      return f.first === (c.toColumnId ?? null) ? null : c
    case 'checklist': {
      let checked = 0
      let unchecked = 0
      for (const item of f.items!.values()) {
        if (item.before === item.after) continue
        if (item.after) checked++
        else unchecked++
      }
      if (checked + unchecked === 0) return null
      return { ...c, count: checked, uncheckedCount: unchecked }
    }
    case 'deleted':
      if (f.deleted === f.wasDeleted) return null
      return { ...c, kind: f.deleted ? 'deleted' : 'restored' }
    case 'field':
      if (SCALAR_FIELDS.has(c.field!)) return same(c.from, c.to) ? null : c
      if (SET_FIELDS.has(c.field!)) {
        if (c.added!.length + c.removed!.length === 0) return null
        if (c.names) {
          const keep = new Set([...c.added!, ...c.removed!])
          c.names = Object.fromEntries(Object.entries(c.names).filter(([id]) => keep.has(id)))
        }
      }
      return c
    default:
      return c
  }
}

/** One task's entries (oldest first) as its net changes; null when they came to nothing. */
function summarizeTask(taskId: string, entries: readonly AwayEntry[]): AwayTask | null {
  const t: TaskFold = { taskId, title: '', lastAt: 0, userIds: [], folds: new Map() }
  for (const e of entries) {
    const key = keyOf(e)
    if (key === null) continue
    const at = new Date(e.last_at).toISOString()
    if (typeof e.data.taskTitle === 'string') t.title = e.data.taskTitle
    t.lastAt = Math.max(t.lastAt, e.last_at)
    let f = t.folds.get(key)
    if (!f) {
      f = start(e, key, at)
      t.folds.set(key, f)
    }
    fold(f, e, at)
  }
  const changes = [...t.folds.values()].map(finish).filter((c): c is AwayChange => c !== null)
  if (changes.length === 0) return null
  const userIds: string[] = []
  for (const c of changes) for (const u of c.userIds) addUser(userIds, u)
  return { taskId, title: t.title, lastAt: new Date(t.lastAt).toISOString(), userIds, changes }
}

/** Kinds the summary reads (`move_replaced` is left out: the move that stands is a `task_moved`). */
export const AWAY_KINDS = [
  'task_created',
  'task_moved',
  'field_changed',
  'comment_added',
  'checklist_item_done',
  'checklist_item_undone',
  'task_deleted',
  'task_restored',
] as const

/** An activity row as read, `data` still JSON (parsed only for the tasks summarised). */
export type AwayRow = Omit<AwayEntry, 'data'> & { id: number; data: string }

/** A task others changed in the window and the time of its last change (`othersTasks`). */
export interface AwayTaskRef {
  task_id: string
  last_at: number
}

/** One task's rows (any order) as its net changes; null when they came to nothing. */
export function summarizeTaskRows(taskId: string, rows: readonly AwayRow[]): AwayTask | null {
  const entries = [...rows]
    .sort((a, b) => a.id - b.id)
    .map((r) => ({ ...r, data: JSON.parse(r.data) as Record<string, unknown> }))
  return summarizeTask(taskId, entries)
}

/**
 * The first `limit` tasks of `order` (most recently changed first) that come to a net change,
 * summarised (see `summarizeAway`), and how many tasks of `order` were not looked at. Rows are
 * asked of `rowsOf` in batches of as many tasks as are still wanted, so only the tasks listed
 * (and the few that net to nothing) are read and parsed: a week of a busy board is thousands
 * of tasks, the answer a few hundred.
 */
export async function summarizeLatest(
  order: readonly AwayTaskRef[],
  limit: number,
  rowsOf: (taskIds: string[]) => Promise<readonly AwayRow[]>,
): Promise<{ tasks: AwayTask[]; more: number }> {
  const tasks: AwayTask[] = []
  let looked = 0
  while (looked < order.length && tasks.length < limit) {
    const ids = order.slice(looked, looked + limit - tasks.length).map((t) => t.task_id)
    const byTask = new Map<string, AwayRow[]>()
    for (const r of await rowsOf(ids)) {
      const list = byTask.get(r.task_id)
      if (list) list.push(r)
      else byTask.set(r.task_id, [r])
    }
    for (const id of ids) {
      looked++
      const summary = summarizeTaskRows(id, byTask.get(id) ?? [])
      if (summary) tasks.push(summary)
    }
  }
  return { tasks, more: order.length - looked }
}

/**
 * Summarises others' activity entries (oldest first) per task and per field: each part of
 * a task becomes one net change with everyone who made it. Pure.
 * @example summarizeAway(rows).map((t) => t.changes.map((c) => c.kind)) // [['moved','field']]
 */
export function summarizeAway(entries: readonly AwayEntry[]): AwayTask[] {
  const byTask = new Map<string, AwayEntry[]>()
  for (const e of entries) {
    const list = byTask.get(e.task_id)
    if (list) list.push(e)
    else byTask.set(e.task_id, [e])
  }
  const out: AwayTask[] = []
  for (const [taskId, list] of byTask) {
    const t = summarizeTask(taskId, list)
    if (t) out.push(t)
  }
  // Most recently changed first; the task id breaks ties so the order is stable.
  return out.sort((a, b) =>
    a.lastAt === b.lastAt ? a.taskId.localeCompare(b.taskId) : a.lastAt < b.lastAt ? 1 : -1,
  )
}
