import * as Y from 'yjs'

/**
 * Schema of a board document (v3: a task's place is decided by its move records, B10). See
 * docs/document-schema.md for the merge rule of every field (B1, B2, ...). All top-level
 * types are Y.Maps keyed by id so that any replica can create entries without coordination.
 */
export const SCHEMA_VERSION = 3

export const COLUMN_CATEGORIES = ['todo', 'in_progress', 'done'] as const
export type ColumnCategory = (typeof COLUMN_CATEGORIES)[number]

export const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const
export type Priority = (typeof PRIORITIES)[number]

/**
 * Transaction origin of every operation made through this package unless the caller
 * passes another. Track it with `new Y.UndoManager(scope, { trackedOrigins: new Set([BOARD_LOCAL_ORIGIN]) })`
 * to undo only the local user's edits: remote updates arrive with the provider as origin.
 */
export const BOARD_LOCAL_ORIGIN: unique symbol = Symbol('taskflow-board-local')

/** Per-call context of an operation. */
export interface OpContext {
  /** Transaction origin; defaults to BOARD_LOCAL_ORIGIN. */
  origin?: unknown
  /** Clock, epoch ms; defaults to Date.now(). Injected by tests and reports fixtures. */
  now?: number
  /** Acting user, recorded as `createdBy` of new tasks and comments. */
  userId?: string | null
}

// Y.Map values are heterogeneous by design; accessors below narrow them.
export type YMapAny = Y.Map<unknown>

/** The document's top-level types. Getting them is free and creates nothing in the update log. */
export function roots(doc: Y.Doc) {
  return {
    meta: doc.getMap<unknown>('meta'),
    columns: doc.getMap<YMapAny>('columns'),
    tasks: doc.getMap<YMapAny>('tasks'),
    labels: doc.getMap<YMapAny>('labels'),
    views: doc.getMap<YMapAny>('views'),
  }
}

export function runOp<T>(doc: Y.Doc, ctx: OpContext | undefined, fn: (now: number) => T): T {
  const now = ctx?.now ?? Date.now()
  let out!: T
  doc.transact(() => {
    out = fn(now)
  }, ctx?.origin ?? BOARD_LOCAL_ORIGIN)
  return out
}

/**
 * Stamps a task as changed now, and by the acting user when the caller names one
 * (`updatedBy`, B7: last writer wins, like `updatedAt`). Without a user the previous
 * editor is kept: an unknown writer is not evidence that nobody edited it.
 */
export function touchTask(task: YMapAny, now: number, ctx: OpContext | undefined): void {
  task.set('updatedAt', now)
  if (ctx?.userId) task.set('updatedBy', ctx.userId)
}

/** Reads a field that must be a string; anything else (a peer's bad write) reads as `fallback`. */
export function str(map: YMapAny, key: string, fallback = ''): string {
  const v = map.get(key)
  return typeof v === 'string' ? v : fallback
}

export function strOrNull(map: YMapAny, key: string): string | null {
  const v = map.get(key)
  return typeof v === 'string' ? v : null
}

export function numOrNull(map: YMapAny, key: string): number | null {
  const v = map.get(key)
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

export function text(map: YMapAny, key: string): Y.Text | null {
  const v = map.get(key)
  return v instanceof Y.Text ? v : null
}

export function subMap(map: YMapAny, key: string): YMapAny | null {
  const v = map.get(key)
  return v instanceof Y.Map ? (v as YMapAny) : null
}

const EMPTY: readonly string[] = Object.freeze([])

/**
 * Keys of a Y.Map used as a set (value `true`), sorted so every replica lists them alike.
 * Reads the map's entries directly: Y.Map#keys() goes through a generic iterator that
 * costs a third of a 10,000-task board view.
 */
export function setKeys(map: YMapAny | null): readonly string[] {
  if (!map) return EMPTY
  let out: string[] | null = null
  for (const [key, item] of map._map) {
    if (item.deleted) continue
    if (out) out.push(key)
    else out = [key]
  }
  return out ? out.sort() : EMPTY
}
