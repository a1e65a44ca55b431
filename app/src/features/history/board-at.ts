import type { BoardResponse } from '@taskflow/api'
import type { BoardView, ColumnView, Label, TaskSummary } from '@taskflow/board'

const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso))

/**
 * The board as the server read it at a past time (`GET /board?at=`), as the view components
 * draw a live board: history mode renders the past through the very same board, list,
 * calendar and timeline views, read-only. Tasks keep the server's board order.
 * @example boardViewAt(await getBoardAt(projectId, at)).columns[0].tasks[0].title
 */
export function boardViewAt(board: BoardResponse): BoardView {
  const byColumn = new Map<string, TaskSummary[]>()
  // The answer gives each task's effective parent (H1–H5); depth and breadcrumb follow from
  // the list. The guard only matters for a malformed answer: the server never sends a cycle.
  const byId = new Map(board.tasks.map((t) => [t.id, t]))
  const depthOf = (id: string): number => {
    let depth = 0
    for (let p = byId.get(id)?.parentId ?? null; p !== null && depth < byId.size; depth++) {
      p = byId.get(p)?.parentId ?? null
    }
    return depth
  }
  for (const t of board.tasks) {
    const s: TaskSummary = {
      id: t.id,
      title: t.title,
      columnId: t.columnId,
      order: t.position,
      priority: t.priority,
      startDate: t.startDate,
      dueDate: t.dueDate,
      estimate: t.estimate,
      assigneeIds: t.assigneeIds,
      labelIds: t.labelIds,
      checklist: t.checklist,
      commentCount: t.commentCount,
      createdAt: ms(t.createdAt),
      createdBy: t.createdBy,
      updatedAt: ms(t.updatedAt),
      updatedBy: null,
      completedAt: ms(t.completedAt),
      deletedAt: ms(t.deletedAt),
      replacedMovesBy: [],
      // A past board shows no "blocked" marks: the card's badge names its blockers from the
      // live document, whose titles may have changed since (the answer's `blockedBy` has them).
      blockedBy: [],
      parentId: t.parentId,
      depth: depthOf(t.id),
      parentTitle: t.parentId === null ? null : (byId.get(t.parentId)?.title ?? null),
      subtaskProgress: t.subtaskProgress && { ...t.subtaskProgress },
      fields: t.fields,
    }
    const list = byColumn.get(s.columnId)
    if (list) list.push(s)
    else byColumn.set(s.columnId, [s])
  }
  const columns: ColumnView[] = board.columns.map((c) => {
    const tasks = byColumn.get(c.id) ?? []
    return {
      id: c.id,
      name: c.name,
      category: c.category,
      order: c.position,
      wipLimit: c.wipLimit,
      tasks,
      overWipLimit: c.wipLimit !== null && tasks.length > c.wipLimit,
    }
  })
  return {
    name: board.name,
    description: board.description,
    // Only shown read-only: the live document's schema decides what is editable.
    schemaVersion: 1,
    columns,
    trash: [],
  }
}

/** The labels of the board then (names and colours as they were). */
export function labelsAt(board: BoardResponse): Map<string, Label> {
  return new Map(board.labels.map((l) => [l.id, l]))
}

/**
 * What existed at that time and is gone from the live board since: columns deleted, and
 * tasks deleted or in the trash now. History mode offers to restore each.
 */
export function goneSince(
  then: BoardView,
  live: BoardView,
): { columns: ColumnView[]; tasks: TaskSummary[] } {
  const liveColumns = new Set(live.columns.map((c) => c.id))
  const liveTasks = new Set(live.columns.flatMap((c) => c.tasks.map((t) => t.id)))
  return {
    columns: then.columns.filter((c) => !liveColumns.has(c.id)),
    tasks: then.columns.flatMap((c) => c.tasks).filter((t) => !liveTasks.has(t.id)),
  }
}
