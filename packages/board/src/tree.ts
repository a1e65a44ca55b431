import type * as Y from 'yjs'
import { newId } from './ids.js'
import { compareOrdered } from './order.js'
import { compareStamps, isStamp, nextStamp, type Stamp } from './placement.js'
import type { YMapAny } from './schema.js'

/*
 * The task hierarchy (H1–H8 in docs/document-schema.md). A task's parent is decided like its
 * column (B10): by the record with the greatest hybrid-logical-clock stamp among its
 * `parent:<id>` records. The reader then derives one forest from those records, the same on
 * every replica that holds the same records, by a rule that looks only at the records:
 * a cycle drops its newest edge (H3), a parent that is missing or (for a live task) in the
 * trash counts as none (H2, H5).
 */

/** Key prefix of parent records in a task's map. */
export const PARENT_KEY_PREFIX = 'parent:'

/** One parent assignment of a task, as stored under `parent:<id>` (H1). */
export interface ParentRecord {
  /** Random record id (the key after `parent:`); breaks ties between equal stamps. */
  id: string
  /** The parent task, or null for "top level". */
  parentId: string | null
  /** Fractional key among the parent's subtasks (B2); '' at top level. */
  order: string
  hlc: Stamp
  /** Who set it, as the writing client claimed. */
  by: string | null
}

type StoredParent = Omit<ParentRecord, 'id'>

export function parseParent(id: string, v: unknown): ParentRecord | null {
  if (!v || typeof v !== 'object') return null
  const r = v as Partial<StoredParent>
  if (r.parentId !== null && typeof r.parentId !== 'string') return null
  if (!isStamp(r.hlc)) return null
  return {
    id,
    parentId: r.parentId,
    order: typeof r.order === 'string' ? r.order : '',
    // The stored stamp itself, not a copy: records are read for every subtask of a board on
    // each full compute, and nothing writes to a stamp once it is stored.
    hlc: r.hlc,
    by: typeof r.by === 'string' ? r.by : null,
  }
}

/** Orders parent records by (stamp, id): the greatest decides (H1). */
export function compareParentRecords(a: ParentRecord, b: ParentRecord): number {
  return compareStamps(a.hlc, b.hlc) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/** Every parent record of a task still in the document, unsorted. */
export function readParentRecords(task: YMapAny): ParentRecord[] {
  const out: ParentRecord[] = []
  for (const [key, item] of task._map) {
    if (item.deleted || !key.startsWith(PARENT_KEY_PREFIX)) continue
    const rec = parseParent(key.slice(PARENT_KEY_PREFIX.length), item.content.getContent()[0])
    if (rec) out.push(rec)
  }
  return out
}

/** The record that decides a task's stored parent (H1), or null when it never had one. */
export function winningParent(task: YMapAny): ParentRecord | null {
  let best: ParentRecord | null = null
  for (const r of readParentRecords(task)) if (!best || compareParentRecords(r, best) > 0) best = r
  return best
}

/**
 * Writes a parent assignment (call inside a transaction). Its stamp is above every parent
 * record of the task this replica has seen and above every stamp this replica issued, so
 * it wins over all of them; the records it replaces are deleted. A concurrent record that
 * arrives later stays until the next write, and loses or wins by its stamp.
 */
export function writeParent(
  doc: Y.Doc,
  task: YMapAny,
  parentId: string | null,
  order: string,
  by: string | null,
  now: number,
): ParentRecord {
  const seen = readParentRecords(task)
  const hlc = nextStamp(doc, seen, now)
  for (const r of seen) task.delete(PARENT_KEY_PREFIX + r.id)
  const rec: ParentRecord = {
    id: newId(),
    parentId,
    order: parentId === null ? '' : order,
    hlc,
    by,
  }
  const { id, ...stored } = rec
  task.set(PARENT_KEY_PREFIX + id, stored satisfies StoredParent)
  return rec
}

/**
 * Changes the winning record's order key in place, keeping its stamp: re-keying a tie of
 * equal keys (B2) is not a re-parent and must not beat a concurrent one.
 */
export function rewriteParentOrder(task: YMapAny, order: string): void {
  const r = winningParent(task)
  if (!r || r.parentId === null) return
  const { id, ...stored } = { ...r, order }
  task.set(PARENT_KEY_PREFIX + id, stored satisfies StoredParent)
}

/** What the tree needs of one task. */
export interface TreeNodeInput {
  /** In the trash (`deletedAt` set). */
  deleted: boolean
  /** Its winning parent record (H1), or null. */
  rec: ParentRecord | null
}

interface TreeNode extends TreeNodeInput {}

const NO_IDS: ReadonlySet<string> = new Set()

/**
 * The effective hierarchy of a board, kept incrementally: `set` one task's state and it
 * reports every task whose effective parent changed. The effective parent of a task is
 * the parent of its winning record unless
 *  - that task does not exist, or is the task itself (H2);
 *  - the stored edges form a cycle and this task's record is the newest of the cycle (H3);
 *  - the task is live and the parent is in the trash (H5).
 * Stored edges form a functional graph (one out-edge per task), so its cycles are disjoint
 * and a change of one task's edge can only make or break the cycle through that task: the
 * update walks that task's stored ancestors, nothing else.
 */
export class TaskTree {
  private nodes = new Map<string, TreeNode>()
  /**
   * Children by stored parent id (the parent may be missing), and effective children. Both
   * are built on first use: a full compute (`from`) needs neither, only the incremental
   * updates and the child lists do, and building them costs a set per parent.
   */
  private rawKidsMap: Map<string, Set<string>> | null = new Map()
  private kidsMap: Map<string, Set<string>> | null = new Map()
  /** For every task on a stored cycle, the cycle's members. */
  private readonly cycleOf = new Map<string, readonly string[]>()
  /** Tasks whose stored edge is dropped to break a cycle (H3). */
  private readonly ignored = new Set<string>()
  private readonly eff = new Map<string, string>()

  private get rawKids(): Map<string, Set<string>> {
    if (this.rawKidsMap) return this.rawKidsMap
    const map = new Map<string, Set<string>>()
    this.nodes.forEach((n, id) => {
      const p = n.rec?.parentId
      if (p != null) addTo(map, p, id)
    })
    this.rawKidsMap = map
    return map
  }

  private get kids(): Map<string, Set<string>> {
    if (this.kidsMap) return this.kidsMap
    const map = new Map<string, Set<string>>()
    this.eff.forEach((p, id) => {
      addTo(map, p, id)
    })
    this.kidsMap = map
    return map
  }

  get size(): number {
    return this.nodes.size
  }

  /**
   * The tree of a whole board at once: what `set` for every task would give, in one pass
   * without the bookkeeping of incremental updates (a board view's full compute).
   * `adopt`: the tree keeps `nodes` as its own (the caller must not change it afterwards),
   * which spares copying a map of every task.
   */
  static from(nodes: ReadonlyMap<string, TreeNodeInput>, adopt?: 'adopt'): TaskTree {
    const tree = new TaskTree()
    if (adopt) tree.nodes = nodes as Map<string, TreeNode>
    else tree.nodes = new Map(nodes)
    tree.rawKidsMap = null
    tree.kidsMap = null
    const withEdge: string[] = []
    // forEach, not for…of: iterating entries allocates a pair per task.
    nodes.forEach((n, id) => {
      const p = n.rec?.parentId
      if (p != null && p !== id && nodes.has(p)) withEdge.push(id)
    })
    // One walk up each task's stored edges, every edge visited once. Each edge is made
    // effective as it is passed unless H5 cuts it (a live task under a trashed parent shows
    // at top level until the parent is back); a walk that meets its own trail found a cycle,
    // whose newest edge is dropped afterwards (H3). `withEdge` holds exactly the tasks whose
    // parent exists and is another, so `edge` of each is its record's parent.
    const state = new Map<string, number>() // walk number that passed the task's edge
    let walk = 0
    for (const start of withEdge) {
      if (state.has(start)) continue
      walk++
      let cur = start
      for (;;) {
        state.set(cur, walk)
        const node = nodes.get(cur)!
        const p = node.rec!.parentId!
        const parent = nodes.get(p)!
        if (node.deleted || !parent.deleted) tree.eff.set(cur, p)
        const seen = state.get(p)
        if (seen === walk) {
          tree.breakCycleFrom(p)
          break
        }
        if (seen !== undefined || tree.edge(p) === null) break
        cur = p
      }
    }
    return tree
  }

  /**
   * The member of a cycle whose record is the newest (H3): greatest (stamp, record id), then
   * greatest task id — two tasks holding equal records (only a peer copying one could write
   * them) would otherwise make the choice depend on where the cycle was entered, and a tree
   * built whole disagree with one built change by change.
   */
  private newestOf(cycle: readonly string[]): string {
    let newest = cycle[0]!
    for (const m of cycle) {
      const c = compareParentRecords(this.nodes.get(m)!.rec!, this.nodes.get(newest)!.rec!)
      if (c > 0 || (c === 0 && m > newest)) newest = m
    }
    return newest
  }

  /** `from`: records the stored cycle through `start` and drops its newest edge (H3). */
  private breakCycleFrom(start: string): void {
    const cycle: string[] = []
    for (let m: string | null = start; m !== null && (m !== start || cycle.length === 0); ) {
      cycle.push(m)
      m = this.edge(m)
    }
    const newest = this.newestOf(cycle)
    for (const m of cycle) this.cycleOf.set(m, cycle)
    this.ignored.add(newest)
    this.eff.delete(newest)
  }

  /**
   * Calls `fn` for every effective edge (task, its parent), in no particular order: the
   * whole forest without building child sets.
   */
  forEachEdge(fn: (id: string, parentId: string) => void): void {
    this.eff.forEach((p, id) => {
      fn(id, p)
    })
  }

  has(id: string): boolean {
    return this.nodes.has(id)
  }

  isDeleted(id: string): boolean {
    return this.nodes.get(id)?.deleted === true
  }

  /** The effective parent, or null at top level. */
  parentOf(id: string): string | null {
    return this.eff.get(id) ?? null
  }

  /** The parent the task's winning record names (null: none), whether or not it is effective. */
  storedParentOf(id: string): string | null {
    return this.nodes.get(id)?.rec?.parentId ?? null
  }

  /** The winning record's order key among its parent's subtasks. */
  orderOf(id: string): string {
    return this.nodes.get(id)?.rec?.order ?? ''
  }

  /** True when the task's record was dropped to break a cycle (H3). */
  breaksCycle(id: string): boolean {
    return this.ignored.has(id)
  }

  /** Effective children, live and trashed, unordered. */
  childrenOf(id: string): ReadonlySet<string> {
    return this.kids.get(id) ?? NO_IDS
  }

  /** 0 at top level. */
  depthOf(id: string): number {
    let d = 0
    for (let p = this.eff.get(id); p !== undefined && d <= this.nodes.size; p = this.eff.get(p)) d++
    return d
  }

  /** Effective ancestors, the root first. */
  ancestorsOf(id: string): string[] {
    const out: string[] = []
    for (let p = this.eff.get(id); p !== undefined && out.length <= this.nodes.size; ) {
      out.push(p)
      p = this.eff.get(p)
    }
    return out.reverse()
  }

  /** True when `id` is `ancestor` or lies below it. */
  isWithin(id: string, ancestor: string): boolean {
    let n = 0
    for (let p: string | undefined = id; p !== undefined && n <= this.nodes.size; n++) {
      if (p === ancestor) return true
      p = this.eff.get(p)
    }
    return false
  }

  /** Every effective descendant (live and trashed), parents before their children. */
  descendantsOf(id: string): string[] {
    const queue = [id]
    // The seen set only matters if the forest rule were broken (a cycle would loop forever).
    const seen = new Set(queue)
    for (let i = 0; i < queue.length; i++) {
      for (const k of this.childrenOf(queue[i]!)) {
        if (seen.has(k)) continue
        seen.add(k)
        queue.push(k)
      }
    }
    return queue.slice(1)
  }

  /**
   * Sets one task's state (undefined: the task is gone) and adds to `changed` every task
   * whose effective parent changed.
   */
  set(id: string, state: TreeNodeInput | undefined, changed: Set<string>): void {
    const before = this.nodes.get(id)
    if (before && state && before.deleted === state.deleted && sameRecord(before.rec, state.rec)) {
      return
    }
    const oldParent = before?.rec?.parentId
    if (oldParent != null) {
      const set = this.rawKids.get(oldParent)
      set?.delete(id)
      if (set?.size === 0) this.rawKids.delete(oldParent)
    }
    if (state) {
      this.nodes.set(id, { deleted: state.deleted, rec: state.rec })
      const p = state.rec?.parentId
      if (p != null) {
        const set = this.rawKids.get(p)
        if (set) set.add(id)
        else this.rawKids.set(p, new Set([id]))
      }
    } else this.nodes.delete(id)

    const candidates = new Set<string>([id])
    const presenceChanged = !before !== !state
    if (presenceChanged || !sameRecord(before?.rec ?? null, state?.rec ?? null)) {
      this.edgeChanged(id, candidates)
    }
    const kids = this.rawKids.get(id)
    if (kids) {
      for (const k of kids) {
        // A task appearing or leaving adds or removes the stored edges of its children; a
        // child already on the cycle just found through `id` is accounted for.
        if (presenceChanged && !this.cycleOf.has(k)) this.edgeChanged(k, candidates)
        candidates.add(k)
      }
    }
    for (const c of candidates) this.refresh(c, changed)
  }

  /** The target of a task's stored edge: its record's parent if that task exists and is another. */
  private edge(id: string): string | null {
    const p = this.nodes.get(id)?.rec?.parentId
    return p != null && p !== id && this.nodes.has(p) ? p : null
  }

  private edgeChanged(x: string, candidates: Set<string>): void {
    const cycle = this.cycleOf.get(x)
    if (cycle) {
      for (const m of cycle) {
        this.cycleOf.delete(m)
        this.ignored.delete(m)
        candidates.add(m)
      }
    }
    let cur = this.edge(x)
    if (cur === null) return
    const path = [x]
    while (cur !== null && cur !== x && !this.cycleOf.has(cur) && path.length <= this.nodes.size) {
      path.push(cur)
      cur = this.edge(cur)
    }
    if (cur !== x) return
    // H3: the cycle drops the edge of its newest record, as if every replica had applied
    // the re-parents in stamp order and refused the one that closed the cycle.
    const newest = this.newestOf(path)
    for (const m of path) {
      this.cycleOf.set(m, path)
      candidates.add(m)
    }
    this.ignored.add(newest)
  }

  private computeParent(id: string): string | null {
    const node = this.nodes.get(id)
    if (!node) return null
    const p = this.edge(id)
    if (p === null || this.ignored.has(id)) return null
    // H5: a live task under a trashed parent shows at top level until the parent is back.
    if (!node.deleted && this.nodes.get(p)!.deleted) return null
    return p
  }

  private refresh(id: string, changed: Set<string>): void {
    const next = this.computeParent(id)
    const prev = this.eff.get(id) ?? null
    if (next === prev) return
    if (prev !== null) {
      const set = this.kids.get(prev)!
      set.delete(id)
      if (set.size === 0) this.kids.delete(prev)
      this.eff.delete(id)
    }
    if (next !== null) {
      this.eff.set(id, next)
      const set = this.kids.get(next)
      if (set) set.add(id)
      else this.kids.set(next, new Set([id]))
    }
    changed.add(id)
  }
}

function addTo(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key)
  if (set) set.add(id)
  else map.set(key, new Set([id]))
}

function sameRecord(a: ParentRecord | null, b: ParentRecord | null): boolean {
  if (a === b) return true
  if (!a || !b) return false
  return (
    a.id === b.id &&
    a.parentId === b.parentId &&
    a.order === b.order &&
    a.hlc.wallMs === b.hlc.wallMs &&
    a.hlc.counter === b.hlc.counter
  )
}

/** Live direct subtasks of a task: how many, how many done, and their points. */
export interface SubtaskProgress {
  done: number
  total: number
  /** Sum of the estimates (no estimate counts 0). */
  points: number
  donePoints: number
}

/** The tree fields of a summary (see `TaskSummary`). */
export interface TreeFields {
  parentId: string | null
  depth: number
  parentTitle: string | null
  subtaskProgress: SubtaskProgress | null
}

interface ProgressInput {
  id: string
  title: string
  columnId: string
  estimate: number | null
  deletedAt: number | null
}

/** Progress of the live tasks among `kids` (a parent's effective children); null: none. */
export function subtaskProgress(
  kids: ReadonlySet<string>,
  lookup: (id: string) => ProgressInput | undefined,
  isDone: (columnId: string) => boolean,
): SubtaskProgress | null {
  if (kids.size === 0) return null
  let done = 0
  let total = 0
  let points = 0
  let donePoints = 0
  for (const k of kids) {
    const ks = lookup(k)
    if (!ks || ks.deletedAt !== null) continue
    total++
    const pts = ks.estimate ?? 0
    points += pts
    if (isDone(ks.columnId)) {
      done++
      donePoints += pts
    }
  }
  return total > 0 ? { done, total, points, donePoints } : null
}

/** The tree fields of task `id` as `tree` places it (progress over its live children). */
function treeFieldsOf(
  id: string,
  tree: TaskTree,
  lookup: (id: string) => ProgressInput | undefined,
  isDone: (columnId: string) => boolean,
): TreeFields {
  const parentId = tree.parentOf(id)
  return {
    parentId,
    depth: parentId === null ? 0 : tree.depthOf(id),
    parentTitle: parentId === null ? null : (lookup(parentId)?.title ?? ''),
    subtaskProgress: subtaskProgress(tree.childrenOf(id), lookup, isDone),
  }
}

/**
 * Like `withTreeFields`, but writes the tree fields into `s` itself: for a summary that was
 * just read and that nobody holds yet, so an edited subtask's summary is not copied again.
 */
export function fillTreeFields<T extends ProgressInput & TreeFields>(
  s: T,
  tree: TaskTree,
  lookup: (id: string) => ProgressInput | undefined,
  isDone: (columnId: string) => boolean,
): T {
  return Object.assign(s, treeFieldsOf(s.id, tree, lookup, isDone))
}

/** Whether a change of a subtask changes its parent's progress (H7: column, estimate, trash). */
export function changesProgress(before: ProgressInput, after: ProgressInput): boolean {
  return (
    before.columnId !== after.columnId ||
    before.estimate !== after.estimate ||
    before.deletedAt !== after.deletedAt
  )
}

/**
 * Summary `s` with its tree fields computed from `tree`: `s` itself when they are already
 * right (most tasks: top level, no subtasks), so the summary is not copied.
 */
export function withTreeFields<T extends ProgressInput & TreeFields>(
  s: T,
  tree: TaskTree,
  lookup: (id: string) => ProgressInput | undefined,
  isDone: (columnId: string) => boolean,
): T {
  const f = treeFieldsOf(s.id, tree, lookup, isDone)
  const p = s.subtaskProgress
  const progress = f.subtaskProgress
  if (
    s.parentId === f.parentId &&
    s.depth === f.depth &&
    s.parentTitle === f.parentTitle &&
    (p === progress ||
      (p !== null &&
        progress !== null &&
        p.done === progress.done &&
        p.total === progress.total &&
        p.points === progress.points &&
        p.donePoints === progress.donePoints))
  ) {
    return s
  }
  return { ...s, ...f }
}

/** Live effective children of `parentId`, in subtask order (key, then id). */
export function orderedSubtasks<T extends { id: string; deletedAt: number | null }>(
  tree: TaskTree,
  parentId: string,
  lookup: (id: string) => T | undefined,
): T[] {
  const keyed: Array<{ id: string; order: string; s: T }> = []
  for (const k of tree.childrenOf(parentId)) {
    const s = lookup(k)
    if (s && s.deletedAt === null) keyed.push({ id: k, order: tree.orderOf(k), s })
  }
  return keyed.sort(compareOrdered).map((e) => e.s)
}

/** A task's state as the tree reads it, or undefined for a task that is not in the board. */
function nodeInput(task: YMapAny | undefined): TreeNodeInput | undefined {
  if (!task) return undefined
  return { deleted: task.get('deletedAt') != null, rec: winningParent(task) }
}

/**
 * The hierarchy of a whole board, read from scratch. For a consumer that follows a document
 * without a view store (the server's projection): keep it current with `updateTaskTree`.
 */
export function buildTaskTree(doc: Y.Doc): TaskTree {
  const tree = new TaskTree()
  const scratch = new Set<string>()
  doc.getMap<YMapAny>('tasks').forEach((task, id) => {
    tree.set(id, nodeInput(task), scratch)
  })
  return tree
}

/**
 * Re-reads the given tasks into `tree` and returns the ids of every task whose effective
 * parent changed: these may be other tasks than the ones given (the children of a task that
 * was trashed or restored, H5; the members of a cycle one of them closed or opened, H3).
 */
export function updateTaskTree(doc: Y.Doc, tree: TaskTree, ids: Iterable<string>): Set<string> {
  const tasks = doc.getMap<YMapAny>('tasks')
  const changed = new Set<string>()
  for (const id of ids) tree.set(id, nodeInput(tasks.get(id)), changed)
  return changed
}
