import type * as Y from 'yjs'
import { createColumn } from './columns.js'
import { type BoardMigration, MIGRATIONS } from './migrations/index.js'
import { fail, ok, type Result } from './result.js'
import { type ColumnCategory, type OpContext, roots, runOp, SCHEMA_VERSION, str } from './schema.js'
import { checkName, checkText, MAX_BOARD_DESCRIPTION } from './validate.js'

export const DEFAULT_COLUMNS: ReadonlyArray<{ name: string; category: ColumnCategory }> = [
  { name: 'To do', category: 'todo' },
  { name: 'In progress', category: 'in_progress' },
  { name: 'Done', category: 'done' },
]

/**
 * Writes a new board: schema version, name, description and default columns. Call once,
 * where the project is created (the server), never on every client: two replicas
 * initialising concurrently would each add the default columns.
 * @example initBoard(new Y.Doc(), { name: 'Website relaunch' })
 */
export function initBoard(
  doc: Y.Doc,
  input: {
    name: string
    description?: string
    columns?: ReadonlyArray<{ name: string; category: ColumnCategory }>
  },
  ctx?: OpContext,
): Result<null> {
  const bad =
    checkName(input?.name, 'name') ??
    (input.description !== undefined
      ? checkText(input.description, 'description', MAX_BOARD_DESCRIPTION)
      : null)
  if (bad) return fail('invalid', bad)
  if (roots(doc).meta.has('schemaVersion')) return fail('conflict', 'board is already initialised')
  return runOp(doc, ctx, () => {
    const { meta } = roots(doc)
    meta.set('schemaVersion', SCHEMA_VERSION)
    meta.set('name', input.name.trim())
    meta.set('description', input.description ?? '')
    for (const col of input.columns ?? DEFAULT_COLUMNS) createColumn(doc, col, ctx)
    return ok(null)
  })
}

export interface BoardMeta {
  schemaVersion: number | null
  name: string
  description: string
}

export function readMeta(doc: Y.Doc): BoardMeta {
  const { meta } = roots(doc)
  const v = meta.get('schemaVersion')
  return {
    schemaVersion: typeof v === 'number' ? v : null,
    name: str(meta, 'name'),
    description: str(meta, 'description'),
  }
}

/** Renames the board or changes its description (B1: last writer wins per field). */
export function updateBoardMeta(
  doc: Y.Doc,
  patch: { name?: string; description?: string },
  ctx?: OpContext,
): Result<null> {
  const bad =
    (patch?.name !== undefined ? checkName(patch.name, 'name') : null) ??
    (patch?.description !== undefined
      ? checkText(patch.description, 'description', MAX_BOARD_DESCRIPTION)
      : null)
  if (bad) return fail('invalid', bad)
  return runOp(doc, ctx, () => {
    const { meta } = roots(doc)
    if (patch.name !== undefined) meta.set('name', patch.name.trim())
    if (patch.description !== undefined) meta.set('description', patch.description)
    return ok(null)
  })
}

export type OpenResult =
  | { status: 'empty' }
  | { status: 'ready'; schemaVersion: number; migratedFrom: number | null }

/**
 * Brings a document to the current schema on open. An empty document (not synced yet)
 * is left alone. A document written by a newer TaskFlow is reported, never modified (B3).
 * @example const r = openBoard(doc); if (!r.ok) showUpgradeNotice(r.error.message)
 */
export function openBoard(
  doc: Y.Doc,
  ctx?: OpContext,
  migrations: readonly BoardMigration[] = MIGRATIONS,
  current: number = SCHEMA_VERSION,
): Result<OpenResult> {
  const version = readMeta(doc).schemaVersion
  if (version === null) return ok({ status: 'empty' })
  if (version > current) {
    return fail(
      'newer_schema',
      `this board uses schema v${version}; this version of TaskFlow reads up to v${current}`,
    )
  }
  if (version === current)
    return ok({ status: 'ready', schemaVersion: version, migratedFrom: null })
  return runOp(doc, ctx, () => {
    for (const m of migrations) {
      if (m.to > version && m.to <= current) {
        m.up(doc)
        roots(doc).meta.set('schemaVersion', m.to)
      }
    }
    return ok({ status: 'ready' as const, schemaVersion: current, migratedFrom: version })
  })
}
