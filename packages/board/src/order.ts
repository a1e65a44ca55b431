import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing'

/** Anything placed by an order key; ties on `order` are broken by `id` (B2). */
export interface Ordered {
  id: string
  order: string
}

/** Total order used by every view: by key, then by id, so all replicas agree. */
export function compareOrdered(a: Ordered, b: Ordered): number {
  if (a.order < b.order) return -1
  if (a.order > b.order) return 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * An order key that places an item at `index` of `sorted` (which must not contain the
 * item itself). Concurrent inserts can leave equal keys; inserting inside such a tie
 * re-keys the tied items after the insertion point through `rekey`, so the item lands
 * exactly where asked. Without `rekey` it goes after the whole tie.
 * @example keyForIndex([{id:'a',order:'a0'}], 0) // a key < 'a0'
 */
export function keyForIndex(
  sorted: readonly Ordered[],
  index: number,
  rekey?: (id: string, order: string) => void,
): string {
  const i = Math.max(0, Math.min(index, sorted.length))
  const before = i > 0 ? sorted[i - 1]!.order : null
  let j = i
  while (before !== null && j < sorted.length && sorted[j]!.order <= before) j++
  const after = j < sorted.length ? sorted[j]!.order : null
  try {
    if (rekey && j > i) {
      const keys = generateNKeysBetween(before, after, 1 + j - i)
      for (let k = i; k < j; k++) rekey(sorted[k]!.id, keys[1 + k - i]!)
      return keys[0]!
    }
    return generateKeyBetween(before, after)
  } catch {
    // A peer wrote a key the library cannot parse: fall back to "after every valid key".
    let last: string | null = null
    for (const item of sorted) {
      try {
        generateKeyBetween(item.order, null)
        if (last === null || item.order > last) last = item.order
      } catch {}
    }
    return generateKeyBetween(last, null)
  }
}
