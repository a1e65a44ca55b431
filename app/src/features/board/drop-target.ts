import type { BoardView } from '@taskflow/board'
/** What dnd-kit reports under the pointer, as the data we attach to draggables/droppables. */
export type DragData =
  | { type: 'task'; columnId: string; index: number }
  | { type: 'column'; columnId: string }
  | { type: 'column-body'; columnId: string }

export type DropPlan =
  | { kind: 'task'; taskId: string; columnId: string; index: number | undefined }
  | { kind: 'column'; columnId: string; index: number }
  | null

/**
 * Turns a finished drag into a board operation. Task indexes are positions among the
 * target column's other tasks (what `moveTask` takes): within a column the hovered card's
 * index; in another column before or after the hovered card, by which half the dragged
 * card's centre is in; on a column's empty area, last.
 */
export function planDrop(
  activeId: string,
  active: DragData | undefined,
  over: DragData | undefined,
  columnIndexOf: (columnId: string) => number,
  /** The dragged card's centre is below the hovered card's centre. */
  belowOver = false,
): DropPlan {
  if (!active || !over) return null
  if (active.type === 'task') {
    if (over.type === 'task') {
      if (over.columnId === active.columnId) {
        // Within a column the sortable list already shows the final position (arrayMove).
        if (over.index === active.index) return null
        return { kind: 'task', taskId: activeId, columnId: over.columnId, index: over.index }
      }
      const index = over.index + (belowOver ? 1 : 0)
      return { kind: 'task', taskId: activeId, columnId: over.columnId, index }
    }
    if (over.columnId === active.columnId) return null
    return { kind: 'task', taskId: activeId, columnId: over.columnId, index: undefined }
  }
  if (active.type === 'column') {
    const from = columnIndexOf(active.columnId)
    const to = columnIndexOf(over.columnId)
    if (to < 0 || from === to) return null
    return { kind: 'column', columnId: active.columnId, index: to }
  }
  return null
}

/**
 * A drop at `index` of a filtered column, as an index among all of the column's tasks: just
 * before the visible task it was dropped on (or after the last visible one), so hidden tasks
 * keep their places around it.
 */
export function unfilteredIndex(
  filtered: Pick<BoardView, 'columns'>,
  full: Pick<BoardView, 'columns'>,
  taskId: string,
  columnId: string,
  index: number | undefined,
): number | undefined {
  if (index === undefined) return undefined
  const visible = (filtered.columns.find((c) => c.id === columnId)?.tasks ?? []).filter(
    (t) => t.id !== taskId,
  )
  const all = (full.columns.find((c) => c.id === columnId)?.tasks ?? []).filter(
    (t) => t.id !== taskId,
  )
  if (visible.length === 0) return all.length
  const anchor = visible[Math.min(index, visible.length - 1)]!
  const at = all.findIndex((t) => t.id === anchor.id)
  if (at < 0) return all.length
  return index >= visible.length ? at + 1 : at
}
