import * as Y from 'yjs'
import { newId } from './ids.js'
import { keyForIndex } from './order.js'
import { readPlacement, rewritePlacement, writeMove } from './placement.js'
import { liveTasksIn, readColumn, sortedColumns } from './read.js'
import { fail, ok, type Result } from './result.js'
import {
  type ColumnCategory,
  type OpContext,
  roots,
  runOp,
  touchTask,
  type YMapAny,
} from './schema.js'
import { checkCategory, checkIndex, checkName, checkWipLimit } from './validate.js'

export interface CreateColumnInput {
  name: string
  category: ColumnCategory
  wipLimit?: number | null
  /** Position among the columns; default last. */
  index?: number
}

/**
 * Adds a column. @example createColumn(doc, { name: 'Review', category: 'in_progress' })
 */
export function createColumn(
  doc: Y.Doc,
  input: CreateColumnInput,
  ctx?: OpContext,
): Result<{ id: string }> {
  const bad =
    checkName(input?.name, 'name') ??
    (checkCategory(input.category) ? null : 'category must be todo, in_progress or done') ??
    checkWipLimit(input.wipLimit) ??
    checkIndex(input.index)
  if (bad) return fail('invalid', bad)
  return runOp(doc, ctx, () => {
    const cols = sortedColumns(doc)
    const id = newId()
    const col = new Y.Map<unknown>()
    col.set('name', input.name.trim())
    col.set('category', input.category)
    col.set(
      'order',
      keyForIndex(cols, input.index ?? cols.length, (cid, order) =>
        roots(doc).columns.get(cid)?.set('order', order),
      ),
    )
    col.set('wipLimit', input.wipLimit ?? null)
    roots(doc).columns.set(id, col)
    return ok({ id })
  })
}

export interface UpdateColumnInput {
  name?: string
  category?: ColumnCategory
  wipLimit?: number | null
}

/** Renames a column or changes its category or WIP limit. Each field merges on its own (B6). */
export function updateColumn(
  doc: Y.Doc,
  columnId: string,
  patch: UpdateColumnInput,
  ctx?: OpContext,
): Result<null> {
  const col = roots(doc).columns.get(columnId)
  if (!col) return fail('not_found', `column ${columnId} does not exist`)
  if (!patch || typeof patch !== 'object') return fail('invalid', 'patch must be an object')
  const bad =
    (patch.name !== undefined ? checkName(patch.name, 'name') : null) ??
    (patch.category !== undefined && !checkCategory(patch.category)
      ? 'category must be todo, in_progress or done'
      : null) ??
    checkWipLimit(patch.wipLimit)
  if (bad) return fail('invalid', bad)
  return runOp(doc, ctx, (now) => {
    if (patch.name !== undefined) col.set('name', patch.name.trim())
    if (patch.wipLimit !== undefined) col.set('wipLimit', patch.wipLimit)
    if (patch.category !== undefined && patch.category !== readColumn(columnId, col).category) {
      col.set('category', patch.category)
      stampCompletion(doc, columnId, patch.category, now)
    }
    return ok(null)
  })
}

export interface RestoreColumnInput {
  id: string
  name: string
  category: ColumnCategory
  wipLimit: number | null
  /** The column's order key then (B2: a tie with another column is broken by id). */
  order: string
}

/**
 * Puts a column back as it was (history restore, B20): a deleted column is created again
 * under its old id, so tasks that still name it (trashed ones, B12) are in it again; an
 * existing one gets these fields, each a field write as in updateColumn (B6).
 * @example restoreColumn(doc, { id, name: 'Review', category: 'in_progress', wipLimit: null, order: 'a1' })
 */
export function restoreColumn(
  doc: Y.Doc,
  input: RestoreColumnInput,
  ctx?: OpContext,
): Result<{ created: boolean }> {
  const bad =
    (typeof input?.id === 'string' && input.id.length > 0 ? null : 'id must be a column id') ??
    checkName(input.name, 'name') ??
    (checkCategory(input.category) ? null : 'category must be todo, in_progress or done') ??
    checkWipLimit(input.wipLimit) ??
    (typeof input.order === 'string' && input.order.length > 0 ? null : 'order must be a key')
  if (bad) return fail('invalid', bad)
  const { columns } = roots(doc)
  const existing = columns.get(input.id)
  if (existing) {
    const cur = readColumn(input.id, existing)
    return runOp(doc, ctx, (now) => {
      if (cur.name !== input.name.trim()) existing.set('name', input.name.trim())
      if (cur.wipLimit !== input.wipLimit) existing.set('wipLimit', input.wipLimit)
      if (cur.order !== input.order) existing.set('order', input.order)
      if (cur.category !== input.category) {
        existing.set('category', input.category)
        stampCompletion(doc, input.id, input.category, now)
      }
      return ok({ created: false })
    })
  }
  return runOp(doc, ctx, () => {
    const col = new Y.Map<unknown>()
    col.set('name', input.name.trim())
    col.set('category', input.category)
    col.set('order', input.order)
    col.set('wipLimit', input.wipLimit)
    columns.set(input.id, col)
    return ok({ created: true })
  })
}

/** Shorthand for `updateColumn(doc, id, { name })`. */
export function renameColumn(
  doc: Y.Doc,
  columnId: string,
  name: string,
  ctx?: OpContext,
): Result<null> {
  return updateColumn(doc, columnId, { name }, ctx)
}

// When a column becomes (or stops being) a done column, its tasks are completed (or
// reopened) as if they had been moved there.
function stampCompletion(doc: Y.Doc, columnId: string, category: ColumnCategory, now: number) {
  roots(doc).tasks.forEach((task) => {
    const p = readPlacement(task)
    if (!p || p.columnId !== columnId) return
    const completedAt = category === 'done' ? (p.completedAt ?? now) : null
    // Not a move: the task keeps its winning move's stamp (B11).
    if (completedAt !== p.completedAt) rewritePlacement(task, { completedAt })
  })
}

/** Moves a column to `index` among the others (B5: one order on every replica). */
export function moveColumn(
  doc: Y.Doc,
  columnId: string,
  index: number,
  ctx?: OpContext,
): Result<null> {
  const col = roots(doc).columns.get(columnId)
  if (!col) return fail('not_found', `column ${columnId} does not exist`)
  const bad = checkIndex(index)
  if (bad || index === undefined) return fail('invalid', bad ?? 'index is required')
  return runOp(doc, ctx, () => {
    const others = sortedColumns(doc).filter((c) => c.id !== columnId)
    col.set(
      'order',
      keyForIndex(others, index, (cid, order) => roots(doc).columns.get(cid)?.set('order', order)),
    )
    return ok(null)
  })
}

/**
 * Deletes a column. A column that still holds live tasks is refused unless
 * `moveTasksTo` names another column; those tasks then move to the end of it.
 * Tasks in the trash keep their column id and show in the first column when restored (B12).
 */
export function deleteColumn(
  doc: Y.Doc,
  columnId: string,
  options: { moveTasksTo?: string } = {},
  ctx?: OpContext,
): Result<null> {
  const { columns, tasks } = roots(doc)
  if (!columns.get(columnId)) return fail('not_found', `column ${columnId} does not exist`)
  const live = liveTasksIn(doc, columnId)
  const target = options.moveTasksTo
  if (target !== undefined) {
    if (target === columnId) return fail('invalid', 'moveTasksTo must be another column')
    if (!columns.get(target)) return fail('not_found', `column ${target} does not exist`)
  } else if (live.length > 0) {
    return fail('conflict', `column still holds ${live.length} task(s); pass moveTasksTo`)
  }
  return runOp(doc, ctx, (now) => {
    if (target !== undefined && live.length > 0) {
      const targetCol = readColumn(target, columns.get(target) as YMapAny)
      const dest = liveTasksIn(doc, target)
      let last = dest.length > 0 ? dest[dest.length - 1]! : null
      for (const t of live) {
        const order = keyForIndex(last ? [last] : [], 1)
        const task = tasks.get(t.id)!
        const prev = readPlacement(task)
        const completedAt = targetCol.category === 'done' ? (prev?.completedAt ?? now) : null
        writeMove(
          doc,
          task,
          { columnId: target, order, completedAt },
          ctx?.userId ?? null,
          columnId,
          now,
        )
        touchTask(task, now, ctx)
        last = { id: t.id, order }
      }
    }
    columns.delete(columnId)
    return ok(null)
  })
}
