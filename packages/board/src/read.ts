import type * as Y from 'yjs'
import { compareOrdered } from './order.js'
import { readPlacement } from './placement.js'
import { type ColumnCategory, numOrNull, roots, str, type YMapAny } from './schema.js'
import { checkCategory } from './validate.js'

/** A column as every view shows it. */
export interface ColumnInfo {
  id: string
  name: string
  category: ColumnCategory
  order: string
  wipLimit: number | null
}

/**
 * Id of the column shown when a board has no column at all, so that tasks are never
 * lost even if every column was deleted concurrently (B12).
 */
export const UNPLACED_COLUMN_ID = '__unplaced__'

export function readColumn(id: string, col: YMapAny): ColumnInfo {
  const category = col.get('category')
  return {
    id,
    name: str(col, 'name', 'Untitled'),
    category: checkCategory(category) ? category : 'todo',
    order: str(col, 'order', 'a0'),
    wipLimit: numOrNull(col, 'wipLimit'),
  }
}

/** Columns in board order (key, then id). */
export function sortedColumns(doc: Y.Doc): ColumnInfo[] {
  const out: ColumnInfo[] = []
  roots(doc).columns.forEach((col, id) => {
    out.push(readColumn(id, col))
  })
  return out.sort(compareOrdered)
}

/**
 * The column a task shows in: its own when it exists, else the first column of the board
 * (B12: a task whose column was deleted concurrently is never lost).
 */
export function effectiveColumnId(
  columnId: string | null,
  columnIds: { has(id: string): boolean },
  firstColumnId: string | null,
): string {
  if (columnId !== null && columnIds.has(columnId)) return columnId
  return firstColumnId ?? UNPLACED_COLUMN_ID
}

export interface PlacedTask {
  id: string
  order: string
}

/** Live (not deleted) tasks shown in `columnId`, in order, optionally without one task. */
export function liveTasksIn(doc: Y.Doc, columnId: string, exceptId?: string): PlacedTask[] {
  const cols = sortedColumns(doc)
  const ids = new Set(cols.map((c) => c.id))
  const first = cols[0]?.id ?? null
  const out: PlacedTask[] = []
  roots(doc).tasks.forEach((task, id) => {
    if (id === exceptId || task.get('deletedAt') != null) return
    const p = readPlacement(task)
    if (effectiveColumnId(p?.columnId ?? null, ids, first) !== columnId) return
    out.push({ id, order: p?.order ?? 'a0' })
  })
  return out.sort(compareOrdered)
}
