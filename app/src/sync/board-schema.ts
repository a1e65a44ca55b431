import { openBoard } from '@taskflow/board'
import type * as Y from 'yjs'

/**
 * Transaction origin of schema migrations run on open: not the board's local origin, so a
 * migration never lands on the person's undo stack (undo.ts tracks only that origin).
 */
export const BOARD_MIGRATION_ORIGIN: unique symbol = Symbol('taskflow-board-migration')

/**
 * `pending`: not checked yet, or the document is still empty (not synced). `ready`: at the
 * current schema (migrated if it was older). `newer_schema`: saved by a newer TaskFlow;
 * this code must not write to it (document-schema.md B3).
 */
export type BoardSchemaState = 'pending' | 'ready' | 'newer_schema'

export interface BoardSchemaStore {
  get: () => BoardSchemaState
  subscribe: (listener: () => void) => () => void
  /** Opens the board now and again whenever `meta.schemaVersion` changes. Idempotent. */
  start: () => void
  destroy: () => void
}

/**
 * Runs `openBoard` (B3) on a project's document: once its local copy is loaded (`start`),
 * and again whenever `meta.schemaVersion` changes — the first server sync of an empty copy,
 * or a teammate's newer TaskFlow migrating the board while it is open.
 */
export function createBoardSchemaStore(doc: Y.Doc): BoardSchemaStore {
  const listeners = new Set<() => void>()
  let state: BoardSchemaState = 'pending'
  let started = false
  const meta = doc.getMap<unknown>('meta')

  const check = () => {
    const r = openBoard(doc, { origin: BOARD_MIGRATION_ORIGIN })
    // openBoard refuses only a newer schema; it never writes then.
    const next: BoardSchemaState = !r.ok
      ? 'newer_schema'
      : r.value.status === 'empty'
        ? 'pending'
        : 'ready'
    if (next === state) return
    state = next
    for (const l of listeners) l()
  }
  // Yjs runs a transaction made in an observer as a transaction of its own, so the
  // migration keeps its origin (and is sent and stored) even when a sync triggered it.
  const onMeta = (event: Y.YMapEvent<unknown>) => {
    if (event.keysChanged.has('schemaVersion')) check()
  }

  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    start() {
      if (started) return
      started = true
      check()
      meta.observe(onMeta)
    },
    destroy() {
      if (started) meta.unobserve(onMeta)
      listeners.clear()
    },
  }
}
