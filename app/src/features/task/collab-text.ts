import type * as Y from 'yjs'

/** The single edit turning `prev` into `next` (common prefix and suffix kept). */
export function diffToEdit(
  prev: string,
  next: string,
): { index: number; delete: number; insert: string } | null {
  if (prev === next) return null
  let start = 0
  const max = Math.min(prev.length, next.length)
  while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start++
  let endPrev = prev.length
  let endNext = next.length
  while (
    endPrev > start &&
    endNext > start &&
    prev.charCodeAt(endPrev - 1) === next.charCodeAt(endNext - 1)
  ) {
    endPrev--
    endNext--
  }
  return { index: start, delete: endPrev - start, insert: next.slice(start, endNext) }
}

/**
 * Where a caret at `pos` ends up after a remote change, so typing next to a teammate
 * does not make your cursor jump. Inserts before the caret push it right; a remote insert
 * exactly at the caret lands after it, so two people typing at one spot each keep their
 * own words together instead of interleaving letters.
 */
export function transformPosition(pos: number, delta: Y.YTextEvent['delta']): number {
  let index = 0
  let result = pos
  for (const op of delta) {
    if (op.retain !== undefined) {
      index += op.retain
    } else if (op.insert !== undefined) {
      const len = typeof op.insert === 'string' ? op.insert.length : 1
      if (index < pos) result += len
      index += len
    } else if (op.delete !== undefined) {
      if (index < pos) result -= Math.min(op.delete, pos - index)
    }
    if (index > pos) break
  }
  return Math.max(0, result)
}

/**
 * Unsaved text `held` in a field (a too-long paste, diffed against `base`) carried over a
 * remote change `delta` that turned `base` into `now`: the teammate's edit lands, the
 * user's pending edit is kept on top of it, so saving it later does not undo theirs.
 * @example rebaseHeld('ab', 'aXXb', [{ retain: 2 }, { insert: 'c' }], 'abc') // 'aXXbc'
 */
export function rebaseHeld(
  base: string,
  held: string,
  delta: Y.YTextEvent['delta'],
  now: string,
): string {
  const edit = diffToEdit(base, held)
  if (!edit) return now
  const start = transformPosition(edit.index, delta)
  const end = Math.max(start, transformPosition(edit.index + edit.delete, delta))
  return now.slice(0, start) + edit.insert + now.slice(end)
}
