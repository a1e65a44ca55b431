import type * as Y from 'yjs'
import { newId } from './ids.js'
import type { YMapAny } from './schema.js'

/** Where a task sits: the placement of its winning move (B10). */
export interface Placement {
  columnId: string
  order: string
  /** Epoch ms when the task entered a `done` column; null outside one. */
  completedAt: number | null
}

/**
 * A hybrid logical clock stamp: the mover's wall clock, raised to the highest stamp the
 * mover had seen, and a counter that orders stamps within one millisecond. A move made
 * after seeing another move of the task always has the greater stamp, whatever the
 * device clocks say.
 */
export interface Stamp {
  wallMs: number
  counter: number
}

/** One move of a task, as stored under `move:<id>` in the task's map (B10). */
export interface MoveRecord extends Placement {
  /** Random move id (the key after `move:`); breaks ties between equal stamps. '' = legacy. */
  id: string
  hlc: Stamp
  /** The user who moved it, as the writing client claimed (null: unknown, legacy). */
  by: string | null
  /** The column the task showed in for the mover when they moved it (null: new task, legacy). */
  fromColumnId: string | null
}

/** Key prefix of move records in a task's map. */
export const MOVE_KEY_PREFIX = 'move:'
// Parent records (tree.ts, H1): `readMoves` hands them to a caller that reads both.
const PARENT_PREFIX = 'parent:'
/** The pre-v3 placement value, read as the oldest possible move (see the v3 migration). */
const LEGACY_KEY = 'placement'
const LEGACY_STAMP: Stamp = Object.freeze({ wallMs: 0, counter: 0 })
/**
 * Replaced moves kept for their movers' notice (B10) per task. Only concurrent moves are
 * ever replaced, so this is rarely reached; past it the oldest are dropped by the next move.
 */
export const MAX_REPLACED_MOVES = 8

type StoredMove = Omit<MoveRecord, 'id'>

export function isStamp(v: unknown): v is Stamp {
  if (!v || typeof v !== 'object') return false
  const s = v as Partial<Stamp>
  return (
    typeof s.wallMs === 'number' &&
    Number.isFinite(s.wallMs) &&
    typeof s.counter === 'number' &&
    Number.isInteger(s.counter) &&
    s.counter >= 0
  )
}

const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null)

// A record written by a peer is trusted for nothing: anything malformed is not a move.
function parseMove(id: string, v: unknown, legacy: boolean): MoveRecord | null {
  if (!v || typeof v !== 'object') return null
  const r = v as Partial<StoredMove>
  if (typeof r.columnId !== 'string' || typeof r.order !== 'string') return null
  const hlc = legacy ? LEGACY_STAMP : r.hlc
  if (!isStamp(hlc)) return null
  return {
    id,
    columnId: r.columnId,
    order: r.order,
    completedAt: typeof r.completedAt === 'number' ? r.completedAt : null,
    hlc: { wallMs: hlc.wallMs, counter: hlc.counter },
    by: legacy ? null : strOrNull(r.by),
    fromColumnId: legacy ? null : strOrNull(r.fromColumnId),
  }
}

/** Orders stamps: wall clock, then counter. */
export function compareStamps(a: Stamp, b: Stamp): number {
  return a.wallMs - b.wallMs || a.counter - b.counter
}

/** Orders moves by (stamp, id): the greatest is the one that wins. Never looks at Yjs client ids. */
export function compareMoves(a: MoveRecord, b: MoveRecord): number {
  return compareStamps(a.hlc, b.hlc) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/**
 * Every move record of a task that is still in the document, the legacy `placement`
 * included (as the oldest possible move), unsorted. Reads the map's entries directly:
 * this runs for every task of a board view. `parents` receives the raw `parent:` entries met
 * on the way (id after the prefix, then value), so a reader needing both walks the map once.
 */
export function readMoves(task: YMapAny, parents?: unknown[]): MoveRecord[] {
  const out: MoveRecord[] = []
  // forEach, not for…of: iterating entries allocates a pair per key, for every task.
  task._map.forEach((item, key) => {
    if (item.deleted) return
    const legacy = key === LEGACY_KEY
    if (!legacy && !key.startsWith(MOVE_KEY_PREFIX)) {
      if (parents && key.startsWith(PARENT_PREFIX)) {
        parents.push(key.slice(PARENT_PREFIX.length), item.content.getContent()[0])
      }
      return
    }
    const rec = parseMove(
      legacy ? '' : key.slice(MOVE_KEY_PREFIX.length),
      item.content.getContent()[0],
      legacy,
    )
    if (rec) out.push(rec)
  })
  return out
}

/** The move that decides where a task is: the one with the greatest (stamp, id) (B10). */
export function winningMove(task: YMapAny): MoveRecord | null {
  let best: MoveRecord | null = null
  for (const m of readMoves(task)) if (!best || compareMoves(m, best) > 0) best = m
  return best
}

/**
 * Where a task is: the winning move's column, order key and completion time. Every reader
 * of a task's place (views, projection, the server's activity) goes through this.
 */
export function readPlacement(task: YMapAny): Placement | null {
  const m = winningMove(task)
  return m ? { columnId: m.columnId, order: m.order, completedAt: m.completedAt } : null
}

/** A move that lost to a later concurrent move, with the move that replaced it. */
export interface ReplacedMove {
  move: MoveRecord
  replacedBy: MoveRecord
}

/**
 * Moves of a task that a later concurrent move replaced and whose movers have not
 * acknowledged it yet, oldest first. A move deletes the moves its mover saw, so a move
 * still stored besides the winner was made without the winner's mover seeing it.
 */
export function replacedMoves(task: YMapAny): ReplacedMove[] {
  const all = readMoves(task).sort(compareMoves)
  const winner = all.pop()
  if (!winner) return []
  return all.filter((m) => m.by !== null).map((move) => ({ move, replacedBy: winner }))
}

// The last stamp this replica issued per document: a replica's own moves keep increasing
// even if its wall clock steps back.
const lastIssued = new WeakMap<Y.Doc, Stamp>()

/**
 * The stamp for a new move of `task` at wall time `now`: greater than every stamp of the
 * task's moves this replica has seen and than its own previous stamps (HLC send rule).
 * Parent records (H1) draw their stamps from the same clock.
 */
export function nextStamp(doc: Y.Doc, moves: readonly { hlc: Stamp }[], now: number): Stamp {
  let seen: Stamp = lastIssued.get(doc) ?? LEGACY_STAMP
  for (const m of moves) if (compareStamps(m.hlc, seen) > 0) seen = m.hlc
  const wallMs = Math.max(now, seen.wallMs)
  const stamp = { wallMs, counter: wallMs === seen.wallMs ? seen.counter + 1 : 0 }
  lastIssued.set(doc, stamp)
  return stamp
}

/**
 * Writes a move of `task` (call inside a transaction). The new record gets a stamp above
 * every move seen, so it wins over all of them; it deletes the moves it replaces (the
 * winner, the mover's own earlier moves, the legacy value) and keeps other people's
 * replaced moves until they acknowledge them, at most MAX_REPLACED_MOVES.
 */
export function writeMove(
  doc: Y.Doc,
  task: YMapAny,
  placement: Placement,
  by: string | null,
  fromColumnId: string | null,
  now: number,
): MoveRecord {
  const moves = readMoves(task).sort(compareMoves)
  const hlc = nextStamp(doc, moves, now)
  const winner = moves.pop()
  const kept = moves.filter((m) => m.by !== null && m.by !== by && m.id !== '')
  const keep = new Set(kept.slice(-MAX_REPLACED_MOVES).map((m) => m.id))
  if (winner) deleteMove(task, winner.id)
  for (const m of moves) if (!keep.has(m.id)) deleteMove(task, m.id)
  const rec: MoveRecord = { id: newId(), ...placement, hlc, by, fromColumnId }
  const { id, ...stored } = rec
  task.set(MOVE_KEY_PREFIX + id, stored satisfies StoredMove)
  return rec
}

function deleteMove(task: YMapAny, id: string): void {
  task.delete(id === '' ? LEGACY_KEY : MOVE_KEY_PREFIX + id)
}

/**
 * Changes the winning move's order key or completion time in place, keeping its stamp:
 * re-keying a tie (B2) and a column's category change (B11) are not moves, so they must
 * not win over a concurrent real move. Call inside a transaction.
 */
export function rewritePlacement(
  task: YMapAny,
  patch: Partial<Pick<Placement, 'order' | 'completedAt'>>,
): void {
  const m = winningMove(task)
  if (!m) return
  if (m.id === '') {
    task.set(LEGACY_KEY, {
      columnId: m.columnId,
      order: patch.order ?? m.order,
      completedAt: patch.completedAt !== undefined ? patch.completedAt : m.completedAt,
    })
    return
  }
  const { id, ...stored } = { ...m, ...patch }
  task.set(MOVE_KEY_PREFIX + id, stored satisfies StoredMove)
}

/**
 * Forgets a replaced move once its mover has seen the notice (deletes its record). The
 * winning move cannot be dismissed (`conflict`). Call inside a transaction.
 */
export function dismissMove(task: YMapAny, moveId: string): 'ok' | 'not_found' | 'winner' {
  const all = readMoves(task)
  const m = all.find((r) => r.id === moveId && r.id !== '')
  if (!m) return 'not_found'
  if (all.every((r) => compareMoves(r, m) <= 0)) return 'winner'
  deleteMove(task, m.id)
  return 'ok'
}
