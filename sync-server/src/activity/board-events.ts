import { compareMoves, parseMentions, readMoves, taskDescription } from '@taskflow/board'
import * as Y from 'yjs'

/**
 * What happened to a task in one persisted update, attributed to the update's sender and
 * server time. Activity entries and notifications are both derived from these events.
 */
export type BoardEvent = EventBase &
  (
    | {
        kind: 'task_created'
        data: { columnId: string | null; columnName: string | null; assigneeIds: string[] }
      }
    | {
        kind: 'task_moved'
        data: {
          fromColumnId: string | null
          fromColumnName: string | null
          toColumnId: string | null
          toColumnName: string | null
          toCategory: string | null
        }
      }
    | {
        /** A move that lost to a later concurrent move (B10), once per replaced move. */
        kind: 'move_replaced'
        data: {
          moveId: string
          /** Who made the replaced move, as their client claimed in the move record. */
          moverId: string
          fromColumnId: string | null
          fromColumnName: string | null
          toColumnId: string
          toColumnName: string | null
          /** The later move that stands, and who made it (claimed). */
          replacedById: string | null
          replacedByColumnId: string
          replacedByColumnName: string | null
        }
      }
    | { kind: 'field_changed'; data: FieldChange }
    | {
        kind: 'checklist_item_done' | 'checklist_item_undone'
        data: { itemId: string; text: string }
      }
    | { kind: 'comment_added'; data: { commentId: string; excerpt: string; mentions: string[] } }
    /** Not an activity entry: a comment edit that added mentions (notifications only). */
    | {
        kind: 'comment_mentions_added'
        data: { commentId: string; excerpt: string; mentions: string[] }
      }
    | { kind: 'task_deleted' | 'task_restored'; data: Record<string, never> }
  )

interface EventBase {
  seq: number
  userId: string | null
  at: number
  taskId: string
  /** The task's title after the update, for display without reading the document. */
  title: string
  /** Field name, checklist item id or comment id; '' when the kind needs none. */
  subject: string
}

export type FieldName =
  | 'title'
  | 'description'
  | 'priority'
  | 'startDate'
  | 'dueDate'
  | 'estimate'
  | 'assignees'
  | 'labels'

/**
 * Scalar fields carry from/to; set fields carry added/removed ids (labels also their names
 * then, so an entry still says "added label Bug" after the label is renamed or deleted);
 * description carries new mentions.
 */
export type FieldChange =
  | {
      field: 'title' | 'priority' | 'startDate' | 'dueDate' | 'estimate'
      from: unknown
      to: unknown
    }
  /** `initial`: mentions in a new task's description (notifications only, not an entry). */
  | { field: 'description'; mentionsAdded: string[]; initial?: true }
  | { field: 'assignees'; added: string[]; removed: string[] }
  | { field: 'labels'; added: string[]; removed: string[]; names: Record<string, string> }

/** One stored move of a task (B10), as far as activity needs it. */
export interface MoveState {
  by: string | null
  columnId: string
  /** The column the mover saw the task in. */
  fromColumnId: string | null
}

/** The parts of a task events are derived from. Plain values: a copy, not a live view. */
export interface TaskState {
  title: string
  description: string
  /** The winning move's column (B10). */
  columnId: string | null
  /** Stored moves by id ('' = a v2 `placement`), and which one wins. */
  moves: ReadonlyMap<string, MoveState>
  winner: string | null
  deleted: boolean
  priority: unknown
  startDate: unknown
  dueDate: unknown
  estimate: unknown
  assignees: string[]
  labels: string[]
  checklist: Map<string, { done: boolean; text: string }>
  /** Live comment id → user ids it mentions. */
  comments: Map<string, string[]>
}

type YMapAny = Y.Map<unknown>

function textOf(m: YMapAny, key: string): string {
  const v = m.get(key)
  return v instanceof Y.Text ? v.toString() : typeof v === 'string' ? v : ''
}

function keysOf(m: YMapAny, key: string): string[] {
  const v = m.get(key)
  return v instanceof Y.Map ? [...v.keys()].sort() : []
}

/** Reads a task's state from its Y.Map (schema: docs/document-schema.md). */
export function readTaskState(
  task: YMapAny,
  prev?: TaskState,
  /** The task's fields an update touched: the rest of `prev` is reused (cheap on the relay path). */
  changed?: ReadonlySet<string>,
): TaskState {
  const reuse = (...fields: string[]) =>
    prev !== undefined && changed !== undefined && !fields.some((f) => changed.has(f))
  const records = readMoves(task)
  let best: (typeof records)[number] | null = null
  const moves = new Map<string, MoveState>()
  for (const m of records) {
    moves.set(m.id, { by: m.by, columnId: m.columnId, fromColumnId: m.fromColumnId })
    if (!best || compareMoves(m, best) > 0) best = m
  }
  return {
    title: textOf(task, 'title'),
    // A rich-text body (schema v2) or a legacy Y.Text, read as the board package reads it,
    // so a mention node in a body is the same `<@id>` token as one typed as text.
    description: reuse('description', 'body') ? prev!.description : taskDescription(task),
    columnId: best?.columnId ?? null,
    moves,
    winner: best?.id ?? null,
    deleted: task.get('deletedAt') != null,
    priority: task.get('priority') ?? null,
    startDate: task.get('startDate') ?? null,
    dueDate: task.get('dueDate') ?? null,
    estimate: task.get('estimate') ?? null,
    assignees: keysOf(task, 'assignees'),
    labels: keysOf(task, 'labels'),
    checklist: reuse('checklist') ? prev!.checklist : readChecklistState(task),
    comments: reuse('comments') ? prev!.comments : readCommentsState(task),
  }
}

function readChecklistState(task: YMapAny): TaskState['checklist'] {
  const checklist = new Map<string, { done: boolean; text: string }>()
  const list = task.get('checklist')
  if (list instanceof Y.Map) {
    list.forEach((item, id) => {
      if (item instanceof Y.Map)
        checklist.set(id, { done: item.get('done') === true, text: textOf(item, 'text') })
    })
  }
  return checklist
}

function readCommentsState(task: YMapAny): TaskState['comments'] {
  const comments = new Map<string, string[]>()
  const cs = task.get('comments')
  if (cs instanceof Y.Map) {
    cs.forEach((c, id) => {
      if (c instanceof Y.Map && c.get('deletedAt') == null)
        comments.set(id, parseMentions(textOf(c, 'body')))
    })
  }
  return comments
}

export interface Attribution {
  seq: number
  userId: string | null
  at: number
}

export type ColumnLookup = (columnId: string | null) => {
  name: string | null
  category: string | null
}

/** Column names and categories as the document holds them now. */
export function columnLookup(doc: Y.Doc): ColumnLookup {
  const columns = doc.getMap<YMapAny>('columns')
  return (id) => {
    const col = id === null ? undefined : columns.get(id)
    if (!(col instanceof Y.Map)) return { name: null, category: null }
    const name = col.get('name')
    const category = col.get('category')
    return {
      name: typeof name === 'string' ? name : null,
      category: typeof category === 'string' ? category : null,
    }
  }
}

/** A label's name as the document holds it now; null for a label that does not exist. */
export type LabelLookup = (labelId: string) => string | null

export function labelLookup(doc: Y.Doc): LabelLookup {
  const labels = doc.getMap<YMapAny>('labels')
  return (id) => {
    const label = labels.get(id)
    const name = label instanceof Y.Map ? label.get('name') : undefined
    return typeof name === 'string' ? name : null
  }
}

const diffSets = (a: readonly string[], b: readonly string[]) => ({
  added: b.filter((x) => !a.includes(x)),
  removed: a.filter((x) => !b.includes(x)),
})

const excerpt = (s: string) => (s.length > 200 ? `${s.slice(0, 199)}…` : s)

/**
 * The events between a task's previous state (undefined: it did not exist) and its
 * state after an update. Pure; `commentBody` reads a comment's text only when needed.
 */
export function diffTask(
  taskId: string,
  prev: TaskState | undefined,
  next: TaskState,
  by: Attribution,
  columns: ColumnLookup,
  commentBody: (commentId: string) => string,
  labels: LabelLookup = () => null,
): BoardEvent[] {
  const base = { ...by, taskId, title: next.title }
  const out: BoardEvent[] = []
  if (!prev) {
    out.push({
      ...base,
      kind: 'task_created',
      subject: '',
      data: {
        columnId: next.columnId,
        columnName: columns(next.columnId).name,
        assigneeIds: next.assignees,
      },
    })
    const mentions = parseMentions(next.description)
    if (mentions.length > 0) {
      out.push({
        ...base,
        kind: 'field_changed',
        subject: 'description',
        data: { field: 'description', mentionsAdded: mentions, initial: true },
      })
    }
    pushComments(out, base, new Map(), next, commentBody)
    return out
  }
  if (prev.deleted !== next.deleted) {
    out.push({
      ...base,
      kind: next.deleted ? 'task_deleted' : 'task_restored',
      subject: '',
      data: {},
    })
  }
  pushMoves(out, base, prev, next, columns)
  for (const field of ['title', 'priority', 'startDate', 'dueDate', 'estimate'] as const) {
    if (prev[field] !== next[field]) {
      out.push({
        ...base,
        kind: 'field_changed',
        subject: field,
        data: { field, from: prev[field], to: next[field] },
      })
    }
  }
  if (prev.description !== next.description) {
    const before = parseMentions(prev.description)
    out.push({
      ...base,
      kind: 'field_changed',
      subject: 'description',
      data: {
        field: 'description',
        mentionsAdded: parseMentions(next.description).filter((u) => !before.includes(u)),
      },
    })
  }
  const assignees = diffSets(prev.assignees, next.assignees)
  if (assignees.added.length > 0 || assignees.removed.length > 0) {
    out.push({
      ...base,
      kind: 'field_changed',
      subject: 'assignees',
      data: { field: 'assignees', ...assignees },
    })
  }
  const labelIds = diffSets(prev.labels, next.labels)
  if (labelIds.added.length > 0 || labelIds.removed.length > 0) {
    const names: Record<string, string> = {}
    for (const id of [...labelIds.added, ...labelIds.removed]) {
      const name = labels(id)
      if (name !== null) names[id] = name
    }
    out.push({
      ...base,
      kind: 'field_changed',
      subject: 'labels',
      data: { field: 'labels', ...labelIds, names },
    })
  }
  for (const [itemId, item] of next.checklist) {
    const was = prev.checklist.get(itemId)
    if (was && was.done !== item.done) {
      out.push({
        ...base,
        kind: item.done ? 'checklist_item_done' : 'checklist_item_undone',
        subject: itemId,
        data: { itemId, text: item.text },
      })
    }
  }
  pushComments(out, base, prev.comments, next, commentBody)
  return out
}

/**
 * A move names the column its mover saw (the record's `fromColumnId`), not the server's
 * previous state: after a concurrent move that was another column. A move that lost to a
 * later concurrent one (B10) is a `move_replaced`, once: when it arrives already beaten,
 * or when the later move arrives and beats it.
 */
function pushMoves(
  out: BoardEvent[],
  base: Omit<EventBase, 'subject'>,
  prev: TaskState,
  next: TaskState,
  columns: ColumnLookup,
): void {
  const win = next.winner === null ? undefined : next.moves.get(next.winner)
  if (next.winner !== prev.winner || next.columnId !== prev.columnId) {
    const fresh = win !== undefined && !prev.moves.has(next.winner!)
    const fromId = fresh && win.fromColumnId !== null ? win.fromColumnId : prev.columnId
    if (fromId !== next.columnId) {
      const to = columns(next.columnId)
      out.push({
        ...base,
        kind: 'task_moved',
        subject: '',
        data: {
          fromColumnId: fromId,
          fromColumnName: columns(fromId).name,
          toColumnId: next.columnId,
          toColumnName: to.name,
          toCategory: to.category,
        },
      })
    }
  }
  if (!win) return
  for (const [moveId, m] of next.moves) {
    if (moveId === next.winner || m.by === null) continue
    // Already a replaced move before this update: told then.
    if (prev.moves.has(moveId) && prev.winner !== moveId) continue
    out.push({
      ...base,
      kind: 'move_replaced',
      subject: moveId,
      data: {
        moveId,
        moverId: m.by,
        fromColumnId: m.fromColumnId,
        fromColumnName: columns(m.fromColumnId).name,
        toColumnId: m.columnId,
        toColumnName: columns(m.columnId).name,
        replacedById: win.by,
        replacedByColumnId: win.columnId,
        replacedByColumnName: columns(win.columnId).name,
      },
    })
  }
}

function pushComments(
  out: BoardEvent[],
  base: Omit<EventBase, 'subject'>,
  before: Map<string, string[]>,
  next: TaskState,
  commentBody: (commentId: string) => string,
): void {
  for (const [commentId, mentions] of next.comments) {
    const was = before.get(commentId)
    if (!was) {
      out.push({
        ...base,
        kind: 'comment_added',
        subject: commentId,
        data: { commentId, excerpt: excerpt(commentBody(commentId)), mentions },
      })
      continue
    }
    const added = mentions.filter((u) => !was.includes(u))
    if (added.length > 0) {
      out.push({
        ...base,
        kind: 'comment_mentions_added',
        subject: commentId,
        data: { commentId, excerpt: excerpt(commentBody(commentId)), mentions: added },
      })
    }
  }
}
