import type * as Y from 'yjs'
import { compareOrdered } from './order.js'
import { parseRelationKey, RELATIONS_ROOT, relationIndex } from './relations.js'
import { numOrNull, roots, str } from './schema.js'
import {
  type BoardContext,
  type BoardView,
  buildColumnViews,
  columnView,
  compareTrash,
  readContext,
  readTaskSummary,
  sameSummary,
  type TaskSummary,
} from './views.js'

/** A board view kept current as the document changes, for `useSyncExternalStore`. */
export interface BoardViewStore {
  /** The current view. Unchanged columns and tasks keep their object identity. */
  getSnapshot: () => BoardView
  /** Calls `listener` after every transaction that changed the view; returns unsubscribe. */
  subscribe: (listener: () => void) => () => void
  /** Stops observing the document. */
  destroy: () => void
}

// Past this many changed tasks in one transaction (initial load, sync of a big batch),
// rebuilding everything is cheaper than patching.
const FULL_REBUILD_RATIO = 0.2

function indexOf(
  list: readonly TaskSummary[],
  s: TaskSummary,
  cmp: (a: TaskSummary, b: TaskSummary) => number = compareOrdered,
): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (cmp(list[mid]!, s) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Keeps the board view current incrementally: an edit to one task re-reads only that
 * task and re-places it in its column (binary search), instead of recomputing the board.
 * Column and label changes rebuild the view (they are rare and affect many cards).
 * @example const store = createBoardViewStore(doc); useSyncExternalStore(store.subscribe, store.getSnapshot)
 */
export function createBoardViewStore(doc: Y.Doc): BoardViewStore {
  const { meta, columns, tasks, labels } = roots(doc)
  const relations = doc.getMap<unknown>(RELATIONS_ROOT)
  const blocks = relationIndex(doc)
  let ctx: BoardContext
  let summaries = new Map<string, TaskSummary>()
  let byColumn = new Map<string, TaskSummary[]>()
  let trash: TaskSummary[] = []
  let snapshot: BoardView
  const listeners = new Set<() => void>()

  let dirtyAll = true
  let dirtyMeta = false
  const dirtyTasks = new Set<string>()

  function rebuild() {
    ctx = readContext(doc)
    summaries = new Map()
    byColumn = new Map()
    trash = []
    tasks.forEach((task, id) => {
      const s = readTaskSummary(id, task, ctx)
      summaries.set(id, s)
      if (s.deletedAt !== null) trash.push(s)
      else {
        const list = byColumn.get(s.columnId)
        if (list) list.push(s)
        else byColumn.set(s.columnId, [s])
      }
    })
    for (const list of byColumn.values()) list.sort(compareOrdered)
    trash.sort(compareTrash)
    snapshot = { ...readMetaFields(), columns: buildColumnViews(ctx, byColumn), trash }
  }

  function readMetaFields() {
    return {
      name: str(meta, 'name'),
      description: str(meta, 'description'),
      schemaVersion: numOrNull(meta, 'schemaVersion'),
    }
  }

  function patch(ids: Iterable<string>) {
    const touchedColumns = new Set<string>()
    let trashChanged = false
    for (const id of ids) {
      const before = summaries.get(id)
      const task = tasks.get(id)
      const after = task ? readTaskSummary(id, task, ctx) : undefined
      if (before && after && sameSummary(before, after)) continue
      if (before) {
        if (before.deletedAt !== null) {
          trash = trash.filter((t) => t.id !== id)
          trashChanged = true
        } else {
          const list = [...(byColumn.get(before.columnId) ?? [])]
          let i = indexOf(list, before)
          if (list[i]?.id !== id) i = list.findIndex((t) => t.id === id)
          if (i >= 0) list.splice(i, 1)
          byColumn.set(before.columnId, list)
          touchedColumns.add(before.columnId)
        }
        summaries.delete(id)
      }
      if (after) {
        summaries.set(id, after)
        if (after.deletedAt !== null) {
          trash = [...trash]
          trash.splice(indexOf(trash, after, compareTrash), 0, after)
          trashChanged = true
        } else {
          const list =
            touchedColumns.has(after.columnId) && byColumn.has(after.columnId)
              ? byColumn.get(after.columnId)!
              : [...(byColumn.get(after.columnId) ?? [])]
          list.splice(indexOf(list, after), 0, after)
          byColumn.set(after.columnId, list)
          touchedColumns.add(after.columnId)
        }
      }
    }
    if (touchedColumns.size === 0 && !trashChanged && !dirtyMeta) return false
    const views = snapshot.columns.map((v) => {
      if (!touchedColumns.has(v.id)) return v
      return columnView(ctx.columnById.get(v.id) ?? v, byColumn.get(v.id) ?? [])
    })
    snapshot = { ...readMetaFields(), columns: views, trash }
    return true
  }

  const onTasks = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    for (const e of events) {
      if (e.target === tasks)
        for (const k of (e as Y.YMapEvent<unknown>).keysChanged) dirtyTasks.add(k)
      else dirtyTasks.add(String(e.path[0]))
    }
  }
  // A relation changes what both its tasks show (R7: `blockedBy`).
  const onRelations = (e: Y.YMapEvent<unknown>) => {
    for (const k of e.keysChanged) {
      const p = parseRelationKey(k)
      if (p) {
        dirtyTasks.add(p.fromId)
        dirtyTasks.add(p.toId)
      }
    }
  }
  const onStructure = () => {
    dirtyAll = true
  }
  const onMeta = () => {
    dirtyMeta = true
  }
  const afterTransaction = () => {
    if (!dirtyAll && !dirtyMeta && dirtyTasks.size === 0) return
    let changed = true
    // A blocker that is done, trashed, restored or gone changes the tasks it blocks.
    if (!dirtyAll)
      for (const id of [...dirtyTasks]) for (const d of blocks.blockedTasksOf(id)) dirtyTasks.add(d)
    if (dirtyAll || dirtyTasks.size > Math.max(50, summaries.size * FULL_REBUILD_RATIO)) {
      rebuild()
    } else {
      changed = patch(dirtyTasks)
    }
    dirtyAll = false
    dirtyMeta = false
    dirtyTasks.clear()
    if (changed) for (const l of listeners) l()
  }

  rebuild()
  dirtyAll = false
  tasks.observeDeep(onTasks)
  columns.observeDeep(onStructure)
  labels.observe(onStructure)
  relations.observe(onRelations)
  meta.observe(onMeta)
  doc.on('afterTransaction', afterTransaction)

  return {
    getSnapshot: () => snapshot,
    subscribe: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    destroy: () => {
      tasks.unobserveDeep(onTasks)
      columns.unobserveDeep(onStructure)
      labels.unobserve(onStructure)
      relations.unobserve(onRelations)
      meta.unobserve(onMeta)
      doc.off('afterTransaction', afterTransaction)
      listeners.clear()
    },
  }
}

const shared = new WeakMap<Y.Doc, BoardViewStore>()

/**
 * The one incremental view store of `doc`, created on first use and kept for the
 * document's lifetime. Operations use it to find a task's neighbours without scanning
 * the board; a UI should use it too rather than create a second store.
 * @example const store = boardViewStore(doc)
 */
export function boardViewStore(doc: Y.Doc): BoardViewStore {
  let store = shared.get(doc)
  if (!store) {
    store = createBoardViewStore(doc)
    shared.set(doc, store)
  }
  return store
}
