/*
 * Pure helpers for showing the subtask hierarchy: rows of a list view nested under their
 * parents, and which tasks may become a task's parent. Nothing here reads the document: the
 * callers pass the view's tasks and a `parentOf` lookup, so these are easy to test and cheap.
 */

/** What the helpers need of a task. */
export interface TreeNode {
  id: string
  parentId: string | null
}

/** Looks up any live task's parent (null for a top-level or unknown task). */
export type ParentOf = (id: string) => string | null

/** One row of a nested list. */
export interface TreeRow<T extends TreeNode> {
  task: T
  /** Indentation: 0 for a row shown at the top level of its group. */
  depth: number
  /** Rows nested directly under this one (shown or collapsed). */
  childCount: number
  /**
   * True when the task has a parent that is not the row it is nested under (the parent is
   * in another group or filtered out): the row shows the parent's breadcrumb instead.
   */
  showPath: boolean
}

// A chain longer than this is corrupt (merges keep the tree acyclic); stop walking it.
const MAX_DEPTH = 1_000

/**
 * `tasks` (one group, already sorted) as nested rows: each task follows the nearest of its
 * ancestors that is in the same group, in the group's sort order among its siblings; a task
 * none of whose ancestors is in the group stays at the top level, where the sort put it.
 * Descendants of an id in `collapsed` are left out. O(n · depth).
 * @example nestRows(group.tasks, (id) => byId.get(id)?.parentId ?? null, new Set())
 */
export function nestRows<T extends TreeNode>(
  tasks: readonly T[],
  parentOf: ParentOf,
  collapsed: ReadonlySet<string> = EMPTY,
): TreeRow<T>[] {
  // No subtask in the group (boards without any, or "show subtasks" off): nothing to nest.
  if (tasks.every((t) => t.parentId === null)) {
    return tasks.map((task) => ({ task, depth: 0, childCount: 0, showPath: false }))
  }
  const inGroup = new Set<string>()
  for (const t of tasks) inGroup.add(t.id)
  const children = new Map<string, T[]>()
  const roots: T[] = []
  for (const t of tasks) {
    const anchor = nearestIn(t, inGroup, parentOf)
    if (anchor === null) roots.push(t)
    else {
      const list = children.get(anchor)
      if (list) list.push(t)
      else children.set(anchor, [t])
    }
  }
  const out: TreeRow<T>[] = []
  const emitted = new Set<string>()
  // Depth-first with an explicit stack (children pushed in reverse so they come out in order).
  const stack: Array<{ t: T; depth: number; anchor: string | null }> = []
  const walk = (root: T) => {
    stack.push({ t: root, depth: 0, anchor: null })
    while (stack.length > 0) {
      const { t, depth, anchor } = stack.pop()!
      if (emitted.has(t.id)) continue
      emitted.add(t.id)
      const kids = children.get(t.id) ?? NONE
      out.push({
        task: t,
        depth,
        childCount: kids.length,
        showPath: t.parentId !== null && t.parentId !== anchor,
      })
      if (kids.length === 0) continue
      if (collapsed.has(t.id)) {
        // Hidden, but counted as shown: a collapsed subtree must not resurface as roots below.
        markSubtree(t.id, children, emitted)
        continue
      }
      for (let i = kids.length - 1; i >= 0; i--)
        stack.push({ t: kids[i]!, depth: depth + 1, anchor: t.id })
    }
  }
  for (const r of roots) walk(r)
  // Only a corrupt (cyclic) chain leaves tasks unreached: show them rather than lose them.
  for (const t of tasks) if (!emitted.has(t.id)) walk(t)
  return out
}

function nearestIn(t: TreeNode, inGroup: ReadonlySet<string>, parentOf: ParentOf): string | null {
  let id = t.parentId
  for (let i = 0; id !== null && i < MAX_DEPTH; i++) {
    if (id === t.id) return null
    if (inGroup.has(id)) return id
    id = parentOf(id)
  }
  return null
}

function markSubtree(id: string, children: ReadonlyMap<string, TreeNode[]>, seen: Set<string>) {
  const stack = [...(children.get(id) ?? NONE)]
  while (stack.length) {
    const t = stack.pop()!
    if (seen.has(t.id)) continue
    seen.add(t.id)
    stack.push(...(children.get(t.id) ?? NONE))
  }
}

/**
 * The ids of `rootId`'s descendants (not `rootId` itself), from every task's parent link.
 * @example descendantIds(allTasks, task.id).has(candidate.id)
 */
export function descendantIds(tasks: Iterable<TreeNode>, rootId: string): Set<string> {
  const children = new Map<string, string[]>()
  for (const t of tasks) {
    if (t.parentId === null) continue
    const list = children.get(t.parentId)
    if (list) list.push(t.id)
    else children.set(t.parentId, [t.id])
  }
  const out = new Set<string>()
  const stack = [...(children.get(rootId) ?? [])]
  while (stack.length) {
    const id = stack.pop()!
    if (out.has(id) || id === rootId) continue
    out.add(id)
    stack.push(...(children.get(id) ?? []))
  }
  return out
}

/**
 * Tasks that may become `taskId`'s parent: every task but itself and its descendants
 * (either would make a cycle), in the order given.
 * @example parentCandidates(boardTasks(view), task.id)
 */
export function parentCandidates<T extends TreeNode>(tasks: readonly T[], taskId: string): T[] {
  const below = descendantIds(tasks, taskId)
  return tasks.filter((t) => t.id !== taskId && !below.has(t.id))
}

const EMPTY: ReadonlySet<string> = new Set()
const NONE: readonly never[] = []

/**
 * The trash as the user sees it: each trashed task whose parent is not in the trash too, with
 * how many of its descendants are (they come back with it), in the order given.
 * @example trashRoots(view.trash).map((r) => `${r.task.title} +${r.subtasks}`)
 */
export function trashRoots<T extends TreeNode>(
  trash: readonly T[],
): { task: T; subtasks: number }[] {
  const byId = new Map<string, T>()
  for (const t of trash) byId.set(t.id, t)
  const rootOf = (t: T): T => {
    let at = t
    for (let i = 0; i < MAX_DEPTH; i++) {
      const up = at.parentId === null ? undefined : byId.get(at.parentId)
      if (!up || up.id === t.id) return at
      at = up
    }
    return at
  }
  const counts = new Map<string, number>()
  for (const t of trash) {
    const root = rootOf(t)
    if (root !== t) counts.set(root.id, (counts.get(root.id) ?? 0) + 1)
  }
  return trash
    .filter((t) => rootOf(t) === t)
    .map((task) => ({ task, subtasks: counts.get(task.id) ?? 0 }))
}
