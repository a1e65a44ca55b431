import type * as Y from 'yjs'
import { FIELDS_ROOT } from './custom-fields.js'
import { compareOrdered } from './order.js'
import { parseRelationKey, RELATIONS_ROOT, relationIndex } from './relations.js'
import { numOrNull, roots, str } from './schema.js'
import {
  changesProgress,
  fillTreeFields,
  orderedSubtasks,
  type TaskTree,
  winningParent,
  withTreeFields,
} from './tree.js'
import {
  type BoardContext,
  type BoardView,
  buildColumnViews,
  columnView,
  compareTrash,
  computeSummaries,
  doneTest,
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
  /** The current summary of one task (live or trashed), or undefined. */
  getSummary: (taskId: string) => TaskSummary | undefined
  /**
   * Live direct subtasks of a task in subtask order. The same array is returned until one of
   * them (or the list) changes, so it can be a `useSyncExternalStore` snapshot of its own.
   */
  getSubtasks: (parentId: string) => readonly TaskSummary[]
  /** The task's parents, the top-level one first (empty at top level). */
  getAncestors: (taskId: string) => readonly TaskSummary[]
}

/** What board operations read from a store: the current tree and summaries. */
export interface BoardIndex {
  tree: TaskTree
  summary: (taskId: string) => TaskSummary | undefined
  subtasks: (parentId: string) => readonly TaskSummary[]
}

// Past this many changed tasks in one transaction (initial load, sync of a big batch),
// rebuilding everything is cheaper than patching.
const FULL_REBUILD_RATIO = 0.2

const EMPTY: readonly TaskSummary[] = Object.freeze([])

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

const indexes = new WeakMap<BoardViewStore, () => BoardIndex>()

/**
 * Keeps the board view current incrementally: an edit to one task re-reads only that
 * task and re-places it in its column (binary search), instead of recomputing the board.
 * The hierarchy is kept incrementally too (`TaskTree`): a re-parent re-reads the task's
 * subtree and its old and new parents, nothing else.
 * Column and label changes rebuild the view (they are rare and affect many cards).
 * @example const store = createBoardViewStore(doc); useSyncExternalStore(store.subscribe, store.getSnapshot)
 */
export function createBoardViewStore(doc: Y.Doc): BoardViewStore {
  const { meta, columns, tasks, labels } = roots(doc)
  const relations = doc.getMap<unknown>(RELATIONS_ROOT)
  const blocks = relationIndex(doc)
  let ctx: BoardContext
  let tree: TaskTree
  let summaries = new Map<string, TaskSummary>()
  let byColumn = new Map<string, TaskSummary[]>()
  let trash: TaskSummary[] = []
  let snapshot: BoardView
  // Subtask lists made on demand, dropped when one of their tasks changes.
  let subtaskLists = new Map<string, readonly TaskSummary[]>()
  const listeners = new Set<() => void>()

  let dirtyAll = true
  let dirtyMeta = false
  const dirtyTasks = new Set<string>()

  function rebuild() {
    const computed = computeSummaries(doc)
    ctx = computed.ctx
    tree = computed.tree
    summaries = computed.summaries
    byColumn = new Map()
    trash = []
    subtaskLists = new Map()
    for (const s of summaries.values()) {
      if (s.deletedAt !== null) trash.push(s)
      else {
        const list = byColumn.get(s.columnId)
        if (list) list.push(s)
        else byColumn.set(s.columnId, [s])
      }
    }
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

  // Recomputes the summaries of the changed tasks and of the tasks whose tree fields they
  // affect: parents (progress), children (breadcrumb title) and moved subtrees (depth).
  function summarise(ids: Iterable<string>): Map<string, TaskSummary | undefined> {
    const fresh = new Map<string, TaskSummary | undefined>()
    const moved = new Set<string>()
    for (const id of ids) {
      const task = tasks.get(id)
      const base = task ? readTaskSummary(id, task, ctx) : undefined
      fresh.set(id, base)
      tree.set(
        id,
        base && task ? { deleted: base.deletedAt !== null, rec: winningParent(task) } : undefined,
        moved,
      )
    }
    const affected = new Set<string>(fresh.keys())
    const parents = new Set<string>()
    for (const [id, after] of fresh) {
      const before = summaries.get(id)
      const p = tree.parentOf(id)
      // A parent's summary reads only its children's progress inputs: an edit of anything
      // else (priority, dates, labels, ...) leaves it as it was, so it is not re-read.
      if (!after || !before || before.parentId !== p || changesProgress(before, after)) {
        if (p !== null) parents.add(p)
        if (before?.parentId) parents.add(before.parentId)
      }
      if (!after || !before || after.title !== before.title) {
        for (const k of tree.childrenOf(id)) affected.add(k)
      }
    }
    for (const id of moved) {
      const old = summaries.get(id)?.parentId
      if (old) parents.add(old)
      const p = tree.parentOf(id)
      if (p !== null) parents.add(p)
      affected.add(id)
      for (const d of tree.descendantsOf(id)) affected.add(d)
    }
    for (const p of parents) {
      affected.add(p)
      subtaskLists.delete(p)
    }
    const lookup = (id: string) => (fresh.has(id) ? fresh.get(id) : summaries.get(id))
    const isDone = doneTest(ctx)
    const out = new Map<string, TaskSummary | undefined>()
    for (const id of affected) {
      const base = lookup(id)
      if (!base) out.set(id, undefined)
      // Summaries read just now are nobody's yet: their tree fields are written in place.
      else if (fresh.has(id)) out.set(id, fillTreeFields(base, tree, lookup, isDone))
      else out.set(id, withTreeFields(base, tree, lookup, isDone))
    }
    return out
  }

  function patch(ids: Iterable<string>) {
    const touchedColumns = new Set<string>()
    let trashChanged = false
    for (const [id, after] of summarise(ids)) {
      const before = summaries.get(id)
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
      if (after?.parentId) subtaskLists.delete(after.parentId)
      if (before?.parentId) subtaskLists.delete(before.parentId)
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
  // Only the first field changes what summaries read (BoardContext.hasFields); definitions
  // themselves are read by the views that render values, not by the store.
  const fieldsRoot = doc.getMap(FIELDS_ROOT)
  const onFields = () => {
    if (fieldsRoot.size > 0 !== ctx.hasFields) dirtyAll = true
  }
  const onMeta = () => {
    dirtyMeta = true
  }
  // Applies what observers recorded. Readers call it too: another `afterTransaction`
  // handler registered before this store's (the server's projector, a UI hook) may read the
  // store before this store's own handler ran, and must not see the state before the edit.
  let unannounced = false
  const flush = () => {
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
    if (changed) unannounced = true
  }
  const afterTransaction = () => {
    flush()
    if (!unannounced) return
    unannounced = false
    for (const l of listeners) l()
  }

  rebuild()
  dirtyAll = false
  tasks.observeDeep(onTasks)
  columns.observeDeep(onStructure)
  labels.observe(onStructure)
  fieldsRoot.observe(onFields)
  relations.observe(onRelations)
  meta.observe(onMeta)
  doc.on('afterTransaction', afterTransaction)

  const getSummary = (id: string) => {
    flush()
    return summaries.get(id)
  }
  const getSubtasks = (parentId: string): readonly TaskSummary[] => {
    flush()
    let list = subtaskLists.get(parentId)
    if (!list) {
      const kids = orderedSubtasks(tree, parentId, getSummary)
      list = kids.length > 0 ? kids : EMPTY
      subtaskLists.set(parentId, list)
    }
    return list
  }
  const store: BoardViewStore = {
    getSnapshot: () => {
      flush()
      return snapshot
    },
    subscribe: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    destroy: () => {
      tasks.unobserveDeep(onTasks)
      columns.unobserveDeep(onStructure)
      labels.unobserve(onStructure)
      fieldsRoot.unobserve(onFields)
      relations.unobserve(onRelations)
      meta.unobserve(onMeta)
      doc.off('afterTransaction', afterTransaction)
      listeners.clear()
    },
    getSummary,
    getSubtasks,
    getAncestors: (id) => {
      flush()
      return tree.ancestorsOf(id).flatMap((a) => {
        const s = summaries.get(a)
        return s ? [s] : []
      })
    },
  }
  indexes.set(store, () => {
    flush()
    return { tree, summary: getSummary, subtasks: getSubtasks }
  })
  return store
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

/**
 * The current hierarchy and summaries of `doc`. Outside a transaction the shared store is
 * current and answers at once; inside one it may be stale, so everything is read afresh.
 */
export function boardIndex(doc: Y.Doc): BoardIndex {
  if (doc._transaction === null) return indexes.get(boardViewStore(doc))!()
  const { tree, summaries } = computeSummaries(doc)
  const summary = (id: string) => summaries.get(id)
  return { tree, summary, subtasks: (id) => orderedSubtasks(tree, id, summary) }
}
