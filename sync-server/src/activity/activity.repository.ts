import type { Kysely, Selectable, Transaction } from 'kysely'
import type { ActivityTable, Database } from '../db/schema.js'
import type { BoardEvent } from './board-events.js'

type Q = Kysely<Database> | Transaction<Database>
export type ActivityRow = Selectable<ActivityTable>

/** Consecutive edits of one field of one task by one user within this window are one entry. */
export const GROUP_WINDOW_MS = 60_000

/** Kinds that are activity entries (the rest of BoardEvent feeds notifications only). */
const ACTIVITY_KINDS = new Set<BoardEvent['kind']>([
  'task_created',
  'task_moved',
  'move_replaced',
  'field_changed',
  'checklist_item_done',
  'checklist_item_undone',
  'comment_added',
  'task_deleted',
  'task_restored',
])

export async function getDerivedSeq(db: Q, projectId: string): Promise<number | null> {
  const row = await db
    .selectFrom('activity_state')
    .select('derived_seq')
    .where('project_id', '=', projectId)
    .executeTakeFirst()
  return row?.derived_seq ?? null
}

export async function setDerivedSeq(db: Q, projectId: string, seq: number): Promise<void> {
  await db
    .insertInto('activity_state')
    .values({ project_id: projectId, derived_seq: seq })
    .onConflict((oc) => oc.column('project_id').doUpdateSet({ derived_seq: seq }))
    .execute()
}

function entryData(e: BoardEvent): Record<string, unknown> {
  // A description's text is not copied into the log; that it changed is the entry.
  if (e.kind === 'field_changed' && e.data.field === 'description') {
    return { taskTitle: e.title, field: 'description' }
  }
  if (e.kind === 'comment_added') {
    return { taskTitle: e.title, commentId: e.data.commentId, excerpt: e.data.excerpt }
  }
  return { taskTitle: e.title, ...e.data }
}

/** Merges a later change of the same field into a grouped entry's data. */
function mergeData(
  prev: Record<string, unknown>,
  next: Record<string, unknown>,
): Record<string, unknown> {
  if ('added' in next) {
    const added = new Set(prev.added as string[])
    const removed = new Set(prev.removed as string[])
    for (const x of next.added as string[]) {
      if (removed.has(x)) removed.delete(x)
      else added.add(x)
    }
    for (const x of next.removed as string[]) {
      if (added.has(x)) added.delete(x)
      else removed.add(x)
    }
    // Label names of both edits: the grouped entry may name a label only the earlier one added.
    const names =
      'names' in next
        ? { names: { ...(prev.names as object | undefined), ...(next.names as object) } }
        : {}
    return { ...next, ...names, added: [...added].sort(), removed: [...removed].sort() }
  }
  return 'from' in prev ? { ...next, from: prev.from } : next
}

/** The newest entry of each task, as far as grouping needs it. */
export type LastEntries = Map<
  string,
  Pick<ActivityRow, 'id' | 'kind' | 'subject' | 'user_id' | 'last_seq' | 'last_at' | 'data'>
>

/**
 * Appends the activity entries of these events (in seq order), grouping rapid edits of one
 * field. Call inside the transaction that advances `derived_seq`; an event already
 * written (same project, seq, task, kind, subject) is ignored. `last` caches each task's
 * newest entry across calls (this process is the only writer), sparing a lookup per edit;
 * drop it if the transaction fails.
 */
export async function insertActivity(
  db: Q,
  projectId: string,
  events: readonly BoardEvent[],
  last: LastEntries = new Map(),
): Promise<void> {
  // New entries wait here and go in multi-row statements (10,000 tasks created by one update
  // were 10,000 statements); a grouped edit of a task with a waiting entry flushes them first.
  const waiting: { e: BoardEvent; data: string }[] = []
  const waitingTasks = new Set<string>()
  const flush = async () => {
    for (let i = 0; i < waiting.length; i += INSERT_ROWS) {
      await insertEntries(db, projectId, waiting.slice(i, i + INSERT_ROWS), last)
    }
    waiting.length = 0
    waitingTasks.clear()
  }
  for (const e of events) {
    if (!ACTIVITY_KINDS.has(e.kind)) continue
    if (e.kind === 'field_changed' && e.data.field === 'description' && e.data.initial) continue
    const data = entryData(e)
    if (e.kind === 'field_changed') {
      if (waitingTasks.has(e.taskId)) await flush()
      const prev =
        last.get(e.taskId) ??
        (await db
          .selectFrom('activity')
          .select(['id', 'kind', 'subject', 'user_id', 'last_seq', 'last_at', 'data'])
          .where('project_id', '=', projectId)
          .where('task_id', '=', e.taskId)
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst())
      if (
        prev &&
        prev.kind === 'field_changed' &&
        prev.subject === e.subject &&
        prev.user_id === e.userId &&
        e.seq > prev.last_seq &&
        e.at - prev.last_at <= GROUP_WINDOW_MS
      ) {
        const merged = JSON.stringify(mergeData(JSON.parse(prev.data), data))
        await db
          .updateTable('activity')
          .set({ last_seq: e.seq, last_at: e.at, data: merged })
          .where('id', '=', prev.id)
          .execute()
        last.set(e.taskId, { ...prev, last_seq: e.seq, last_at: e.at, data: merged })
        continue
      }
    }
    waiting.push({ e, data: JSON.stringify(data) })
    waitingTasks.add(e.taskId)
  }
  await flush()
}

/** Rows per multi-row insert of entries (10 values each). */
const INSERT_ROWS = 200

/**
 * Inserts new entries in one statement, in order (ids ascend with it); an entry already
 * written (same project, seq, task, kind, subject) is skipped. Each task's last entry of
 * `entries` becomes its newest in `last`, or is forgotten when it was one already written.
 */
async function insertEntries(
  db: Q,
  projectId: string,
  entries: readonly { e: BoardEvent; data: string }[],
  last: LastEntries,
): Promise<void> {
  if (entries.length === 0) return
  const inserted = await db
    .insertInto('activity')
    .values(
      entries.map(({ e, data }) => ({
        project_id: projectId,
        task_id: e.taskId,
        kind: e.kind,
        subject: e.subject,
        user_id: e.userId,
        seq: e.seq,
        last_seq: e.seq,
        at: e.at,
        last_at: e.at,
        data,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'task_id', 'kind', 'subject', 'seq'])
    .execute()
  const key = (seq: number, taskId: string, kind: string, subject: string) =>
    `${seq}\u0000${taskId}\u0000${kind}\u0000${subject}`
  const ids = new Map(inserted.map((r) => [key(Number(r.seq), r.task_id, r.kind, r.subject), r.id]))
  const newest = new Map<string, { e: BoardEvent; data: string }>()
  for (const entry of entries) newest.set(entry.e.taskId, entry)
  for (const [taskId, { e, data }] of newest) {
    const id = ids.get(key(e.seq, taskId, e.kind, e.subject))
    if (id === undefined) last.delete(taskId)
    else {
      last.set(taskId, {
        id,
        kind: e.kind,
        subject: e.subject,
        user_id: e.userId,
        last_seq: e.seq,
        last_at: e.at,
        data,
      })
    }
  }
}

export interface ActivityFilter {
  taskId?: string
  userId?: string
  /** Entries with an id below this (the cursor of the previous page). */
  before?: number
  limit: number
}

/** Newest first. */
export async function listActivity(
  db: Q,
  projectId: string,
  f: ActivityFilter,
): Promise<ActivityRow[]> {
  let q = db.selectFrom('activity').selectAll().where('project_id', '=', projectId)
  if (f.taskId) q = q.where('task_id', '=', f.taskId)
  if (f.userId) q = q.where('user_id', '=', f.userId)
  if (f.before !== undefined) q = q.where('id', '<', f.before)
  return q.orderBy('id', 'desc').limit(f.limit).execute()
}
