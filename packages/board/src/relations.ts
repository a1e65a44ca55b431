import * as Y from 'yjs'
import { readPlacement } from './placement.js'
import { effectiveColumnId, sortedColumns } from './read.js'
import { fail, ok, type Result } from './result.js'
import type { YMapAny } from './schema.js'
import { type ColumnCategory, numOrNull, type OpContext, runOp, strOrNull, text } from './schema.js'

/**
 * Relations between tasks (docs/document-schema.md, R1–R8): blocks / blocked by, relates
 * to, duplicate of.
 *
 * They live in a root map `relations` keyed by `${fromId}|${type}|${toId}`, one entry per
 * relation, so that:
 * - two replicas adding the same relation write the same key: one entry, never two (R2);
 * - a remove deletes only the entry its replica saw, so a concurrent add survives it
 *   (add wins, R3) — Yjs map semantics, no extra bookkeeping;
 * - no per-task sub-map is ever created lazily (two replicas creating one at once would
 *   keep only one of them and lose what was written into the other, see B17).
 *
 * `blocks` and `duplicate` are directed (`from` blocks `to`, `from` is a duplicate of
 * `to`); `relates` is symmetric and stored with the smaller id first. "Blocked by" and
 * "duplicated by" are the reverse views of the stored entries.
 */
export const RELATIONS_ROOT = 'relations'
const SEP = '|'

/** How relations are stored (canonical, one direction each). */
export const RELATION_TYPES = ['blocks', 'relates', 'duplicate'] as const
export type RelationType = (typeof RELATION_TYPES)[number]

/** A relation as seen from one task: what the task panel and the API show and take. */
export const RELATION_KINDS = [
  'blocks',
  'blocked_by',
  'relates_to',
  'duplicate_of',
  'duplicated_by',
] as const
export type RelationKind = (typeof RELATION_KINDS)[number]

/** Most relations one task may take part in (keeps a task panel and its checks bounded). */
export const MAX_RELATIONS_PER_TASK = 200

/** One stored relation whose both tasks exist (trashed or not). */
export interface Relation {
  key: string
  type: RelationType
  fromId: string
  toId: string
  createdBy: string | null
  createdAt: number | null
}

/** The other task of a relation, as a task panel lists it. */
export interface RelatedTask {
  /** The stored relation's key (what `removeRelationByKey` takes). */
  key: string
  kind: RelationKind
  taskId: string
  title: string
  columnId: string
  category: ColumnCategory
  /** In a `done` column (and not trashed). */
  done: boolean
  /** In the trash: the relation is kept and shown as such (R5). */
  trashed: boolean
}

export type TaskRelations = Record<RelationKind, RelatedTask[]>

export function relationKey(fromId: string, type: RelationType, toId: string): string {
  return `${fromId}${SEP}${type}${SEP}${toId}`
}

/** The stored form of "`taskId` `kind` `otherId`". */
export function canonicalRelation(
  taskId: string,
  kind: RelationKind,
  otherId: string,
): { fromId: string; type: RelationType; toId: string } {
  switch (kind) {
    case 'blocks':
      return { fromId: taskId, type: 'blocks', toId: otherId }
    case 'blocked_by':
      return { fromId: otherId, type: 'blocks', toId: taskId }
    case 'duplicate_of':
      return { fromId: taskId, type: 'duplicate', toId: otherId }
    case 'duplicated_by':
      return { fromId: otherId, type: 'duplicate', toId: taskId }
    case 'relates_to':
      return taskId < otherId
        ? { fromId: taskId, type: 'relates', toId: otherId }
        : { fromId: otherId, type: 'relates', toId: taskId }
  }
}

/** Parses a stored key; null for anything this version does not understand (ignored). */
export function parseRelationKey(
  key: string,
): { fromId: string; type: RelationType; toId: string } | null {
  const parts = key.split(SEP)
  if (parts.length !== 3) return null
  const [fromId, type, toId] = parts as [string, string, string]
  if (!fromId || !toId || fromId === toId) return null
  if (!(RELATION_TYPES as readonly string[]).includes(type)) return null
  // A `relates` entry written unsorted by a misbehaving peer would be a second copy of a
  // canonical one: only the canonical form counts.
  if (type === 'relates' && fromId > toId) return null
  return { fromId, type: type as RelationType, toId }
}

function root(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(RELATIONS_ROOT)
}

function tasksOf(doc: Y.Doc): Y.Map<YMapAny> {
  return doc.getMap<YMapAny>('tasks')
}

function meta(value: unknown): { createdBy: string | null; createdAt: number | null } {
  if (value instanceof Y.Map) {
    const m = value as YMapAny
    return { createdBy: strOrNull(m, 'by'), createdAt: numOrNull(m, 'at') }
  }
  if (value && typeof value === 'object') {
    const v = value as { by?: unknown; at?: unknown }
    return {
      createdBy: typeof v.by === 'string' ? v.by : null,
      createdAt: typeof v.at === 'number' && Number.isFinite(v.at) ? v.at : null,
    }
  }
  return { createdBy: null, createdAt: null }
}

/**
 * Every relation whose two tasks exist (R6: one whose task is gone from the document is
 * dropped by readers), trashed tasks included, in key order.
 * @example listRelations(doc).filter((r) => r.type === 'blocks').length
 */
export function listRelations(doc: Y.Doc): Relation[] {
  const tasks = tasksOf(doc)
  const out: Relation[] = []
  root(doc).forEach((value, key) => {
    const p = parseRelationKey(key)
    if (!p || !(tasks.get(p.fromId) instanceof Y.Map) || !(tasks.get(p.toId) instanceof Y.Map)) {
      return
    }
    out.push({ key, ...p, ...meta(value) })
  })
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

interface TaskState {
  title: string
  columnId: string
  category: ColumnCategory
  trashed: boolean
}

function taskState(
  task: YMapAny,
  columns: ReturnType<typeof sortedColumns>,
  byId: Map<string, ReturnType<typeof sortedColumns>[number]>,
): TaskState {
  const columnId = effectiveColumnId(
    readPlacement(task)?.columnId ?? null,
    byId,
    columns[0]?.id ?? null,
  )
  return {
    title: text(task, 'title')?.toString() ?? '',
    columnId,
    category: byId.get(columnId)?.category ?? 'todo',
    trashed: task.get('deletedAt') != null,
  }
}

const KIND_ORDER: Record<RelationKind, number> = {
  blocked_by: 0,
  blocks: 1,
  duplicate_of: 2,
  duplicated_by: 3,
  relates_to: 4,
}

/** How a stored relation reads from one of its tasks. */
function kindFor(r: { fromId: string; type: RelationType }, taskId: string): RelationKind {
  if (r.type === 'relates') return 'relates_to'
  if (r.type === 'blocks') return r.fromId === taskId ? 'blocks' : 'blocked_by'
  return r.fromId === taskId ? 'duplicate_of' : 'duplicated_by'
}

/**
 * A task's relations grouped by kind, each with the other task's title, column and state
 * (trashed ones marked, R5; gone ones dropped, R6), ordered by title then id.
 * @example getRelations(doc, id).blocked_by.filter((t) => !t.done && !t.trashed)
 */
export function getRelations(doc: Y.Doc, taskId: string): TaskRelations {
  const out: TaskRelations = {
    blocks: [],
    blocked_by: [],
    relates_to: [],
    duplicate_of: [],
    duplicated_by: [],
  }
  const tasks = tasksOf(doc)
  if (!(tasks.get(taskId) instanceof Y.Map)) return out
  const columns = sortedColumns(doc)
  const byId = new Map(columns.map((c) => [c.id, c]))
  for (const r of relationsOf(doc, taskId)) {
    const otherId = r.fromId === taskId ? r.toId : r.fromId
    const other = tasks.get(otherId)
    if (!(other instanceof Y.Map)) continue
    const s = taskState(other, columns, byId)
    out[kindFor(r, taskId)].push({
      key: r.key,
      kind: kindFor(r, taskId),
      taskId: otherId,
      title: s.title,
      columnId: s.columnId,
      category: s.category,
      done: !s.trashed && s.category === 'done',
      trashed: s.trashed,
    })
  }
  for (const list of Object.values(out)) {
    list.sort((a, b) =>
      a.title < b.title ? -1 : a.title > b.title ? 1 : a.taskId < b.taskId ? -1 : 1,
    )
  }
  return out
}

/** A task's relations as one list, blockers first (for a flat list such as the API's). */
export function flatRelations(rel: TaskRelations): RelatedTask[] {
  return (Object.keys(KIND_ORDER) as RelationKind[])
    .sort((a, b) => KIND_ORDER[a] - KIND_ORDER[b])
    .flatMap((k) => rel[k])
}

/** Stored relations that involve `taskId` (both tasks not checked). */
function relationsOf(
  doc: Y.Doc,
  taskId: string,
): Array<{ key: string; fromId: string; type: RelationType; toId: string }> {
  const out: Array<{ key: string; fromId: string; type: RelationType; toId: string }> = []
  // Keys start with the `from` id, so the `to` side needs a scan; relations are few (a board
  // of 10,000 tasks is expected to hold a few thousand at most).
  for (const [key, item] of root(doc)._map) {
    if (item.deleted) continue
    if (!key.includes(taskId)) continue
    const p = parseRelationKey(key)
    if (p && (p.fromId === taskId || p.toId === taskId)) out.push({ key, ...p })
  }
  return out
}

/**
 * True when the task has an open blocker: a task that blocks it, exists, is not in the
 * trash and is not in a `done` column (R7).
 * @example if (isBlocked(doc, id) && !confirm('Move anyway?')) return
 */
export function isBlocked(doc: Y.Doc, taskId: string): boolean {
  return openBlockers(doc, taskId).length > 0
}

/** The open blockers of a task (R7), as the Blocked badge names them. */
export function openBlockers(doc: Y.Doc, taskId: string): RelatedTask[] {
  return getRelations(doc, taskId).blocked_by.filter((t) => !t.done && !t.trashed)
}

/** True when `to` is reachable from `from` along `blocks` relations stored here. */
function blocksPath(doc: Y.Doc, from: string, to: string): boolean {
  const next = new Map<string, string[]>()
  for (const [key, item] of root(doc)._map) {
    if (item.deleted) continue
    const p = parseRelationKey(key)
    if (p?.type !== 'blocks') continue
    const list = next.get(p.fromId)
    if (list) list.push(p.toId)
    else next.set(p.fromId, [p.toId])
  }
  const seen = new Set<string>([from])
  const stack = [from]
  while (stack.length > 0) {
    const id = stack.pop()!
    if (id === to) return true
    for (const n of next.get(id) ?? []) {
      if (!seen.has(n)) {
        seen.add(n)
        stack.push(n)
      }
    }
  }
  return false
}

function checkKind(kind: unknown): kind is RelationKind {
  return typeof kind === 'string' && (RELATION_KINDS as readonly string[]).includes(kind)
}

/**
 * Adds "`taskId` `kind` `otherId`" (e.g. `blocked_by`: `otherId` blocks `taskId`), by
 * `ctx.userId`. Refused: a relation to itself or an unknown kind (`invalid`), an unknown
 * task (`not_found`), a trashed task or a `blocks` that would close a cycle of blockers
 * on this replica, or a duplicate both ways (`conflict`, R4). Adding a relation that
 * exists already changes nothing.
 * @example addRelation(doc, b, 'blocked_by', a, { userId })
 */
export function addRelation(
  doc: Y.Doc,
  taskId: string,
  kind: RelationKind,
  otherId: string,
  ctx?: OpContext,
): Result<{ key: string; created: boolean }> {
  if (typeof taskId !== 'string' || typeof otherId !== 'string' || !taskId || !otherId) {
    return fail('invalid', 'taskId and otherId must be task ids')
  }
  if (!checkKind(kind)) return fail('invalid', `kind must be one of ${RELATION_KINDS.join(', ')}`)
  if (taskId === otherId || taskId.includes(SEP) || otherId.includes(SEP)) {
    return fail('invalid', 'a task cannot be related to itself')
  }
  const tasks = tasksOf(doc)
  for (const id of [taskId, otherId]) {
    const t = tasks.get(id)
    if (!(t instanceof Y.Map)) return fail('not_found', `task ${id} does not exist`)
    if (t.get('deletedAt') != null) {
      return fail('conflict', `task ${id} is in the trash: restore it first`)
    }
  }
  const c = canonicalRelation(taskId, kind, otherId)
  const key = relationKey(c.fromId, c.type, c.toId)
  const r = root(doc)
  if (r.has(key)) return ok({ key, created: false })
  if (c.type === 'blocks' && blocksPath(doc, c.toId, c.fromId)) {
    return fail('conflict', 'this would make the tasks block each other (a cycle of blockers)')
  }
  if (c.type === 'duplicate' && r.has(relationKey(c.toId, 'duplicate', c.fromId))) {
    return fail('conflict', 'the other task is already marked a duplicate of this one')
  }
  if (
    relationsOf(doc, taskId).length >= MAX_RELATIONS_PER_TASK ||
    relationsOf(doc, otherId).length >= MAX_RELATIONS_PER_TASK
  ) {
    return fail('invalid', `a task may have at most ${MAX_RELATIONS_PER_TASK} relations`)
  }
  return runOp(doc, ctx, (now) => {
    r.set(key, { by: ctx?.userId ?? null, at: now })
    return ok({ key, created: true })
  })
}

/**
 * Removes "`taskId` `kind` `otherId`" if it exists (`removed: false` when it did not: a
 * remove is idempotent, like a concurrent remove on another replica).
 * @example removeRelation(doc, b, 'blocked_by', a)
 */
export function removeRelation(
  doc: Y.Doc,
  taskId: string,
  kind: RelationKind,
  otherId: string,
  ctx?: OpContext,
): Result<{ key: string; removed: boolean }> {
  if (typeof taskId !== 'string' || typeof otherId !== 'string' || !taskId || !otherId) {
    return fail('invalid', 'taskId and otherId must be task ids')
  }
  if (!checkKind(kind)) return fail('invalid', `kind must be one of ${RELATION_KINDS.join(', ')}`)
  if (taskId === otherId) return fail('invalid', 'a task cannot be related to itself')
  const c = canonicalRelation(taskId, kind, otherId)
  const key = relationKey(c.fromId, c.type, c.toId)
  if (!root(doc).has(key)) return ok({ key, removed: false })
  return runOp(doc, ctx, () => {
    root(doc).delete(key)
    return ok({ key, removed: true })
  })
}

/** Removes a relation by its stored key (`RelatedTask.key`); unknown keys are `not_found`. */
export function removeRelationByKey(doc: Y.Doc, key: string, ctx?: OpContext): Result<null> {
  if (typeof key !== 'string' || !root(doc).has(key)) {
    return fail('not_found', `relation ${String(key)} does not exist`)
  }
  return runOp(doc, ctx, () => {
    root(doc).delete(key)
    return ok(null)
  })
}

const NONE: readonly string[] = Object.freeze([])

/**
 * The `blocks` relations of a document as two adjacency maps, kept current by observing
 * the `relations` root: what lets every task summary carry its blockers (`blockedBy`)
 * with a map lookup instead of a scan. One per document (`relationIndex`).
 */
export class RelationIndex {
  readonly #blockers = new Map<string, Set<string>>()
  readonly #blocking = new Map<string, Set<string>>()

  constructor(private readonly doc: Y.Doc) {
    for (const [key, item] of root(doc)._map) if (!item.deleted) this.#add(key)
    root(doc).observe((e) => this.apply(e.keysChanged))
  }

  /** Re-reads the given keys (idempotent); returns the ids of the tasks they involve. */
  apply(keys: Iterable<string>): Set<string> {
    const touched = new Set<string>()
    const r = root(this.doc)
    for (const key of keys) {
      const p = parseRelationKey(key)
      if (!p) continue
      touched.add(p.fromId)
      touched.add(p.toId)
      if (p.type !== 'blocks') continue
      if (r.has(key)) this.#add(key)
      else {
        this.#blockers.get(p.toId)?.delete(p.fromId)
        this.#blocking.get(p.fromId)?.delete(p.toId)
      }
    }
    return touched
  }

  #add(key: string): void {
    const p = parseRelationKey(key)
    if (p?.type !== 'blocks') return
    const s = this.#blockers.get(p.toId)
    if (s) s.add(p.fromId)
    else this.#blockers.set(p.toId, new Set([p.fromId]))
    const t = this.#blocking.get(p.fromId)
    if (t) t.add(p.toId)
    else this.#blocking.set(p.fromId, new Set([p.toId]))
  }

  /** Ids of the tasks stored as blocking `taskId` (existence and state not checked). */
  blockersOf(taskId: string): ReadonlySet<string> | undefined {
    const s = this.#blockers.get(taskId)
    return s && s.size > 0 ? s : undefined
  }

  /** Ids of the tasks `taskId` is stored as blocking. */
  blockedTasksOf(taskId: string): readonly string[] {
    const s = this.#blocking.get(taskId)
    return s && s.size > 0 ? [...s] : NONE
  }
}

const indexes = new WeakMap<Y.Doc, RelationIndex>()

/** The one relation index of `doc`, created on first use and kept for the doc's lifetime. */
export function relationIndex(doc: Y.Doc): RelationIndex {
  let idx = indexes.get(doc)
  if (!idx) {
    idx = new RelationIndex(doc)
    indexes.set(doc, idx)
  }
  return idx
}

/** What `openBlockerIds` reads besides the index: the board's columns and tasks. */
export interface BlockerContext {
  relations: RelationIndex
  tasks: Y.Map<YMapAny>
  columnById: ReadonlyMap<string, { category: ColumnCategory }>
  firstColumnId: string | null
}

/**
 * Ids of the open blockers of a task (R7), sorted: what `TaskSummary.blockedBy` holds. A
 * map lookup for the (usual) task without blockers.
 */
export function openBlockerIds(taskId: string, ctx: BlockerContext): readonly string[] {
  const ids = ctx.relations.blockersOf(taskId)
  if (!ids) return NONE
  let out: string[] | null = null
  for (const b of ids) {
    const t = ctx.tasks.get(b)
    if (!(t instanceof Y.Map) || t.get('deletedAt') != null) continue
    const col = effectiveColumnId(
      readPlacement(t)?.columnId ?? null,
      ctx.columnById,
      ctx.firstColumnId,
    )
    if (ctx.columnById.get(col)?.category === 'done') continue
    if (out) out.push(b)
    else out = [b]
  }
  return out ? out.sort() : NONE
}
