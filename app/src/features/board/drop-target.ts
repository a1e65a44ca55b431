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
