import * as Y from 'yjs'

/*
 * The bytes of a diff checkpoint (issue 18 perf). `Y.encodeStateAsUpdate(doc, sv)` and
 * `Y.diffUpdate(state, sv)` write the structs after `sv` but the document's *whole* delete
 * set, which grows with every overwritten field: late diffs weighed nearly as much as the
 * log they covered, and merging a chain of them dominated `?at=` (docs/benchmarks.md
 * "Board history"). A chain only needs, per diff, the deletions made since the previous
 * checkpoint: the union of the chain's delete sets is then the document's, as every
 * deletion is in the stored update of the transaction that made it (deletions a receiver
 * adds itself, of an item integrated into a deleted parent, recur on every load).
 *
 * An update (format v1) is its structs, then its delete set; an update with no structs is
 * one zero byte (no clients), then the delete set. So the delete set of a diff is swapped
 * by cutting the bytes of the whole one off its end and appending the new one, checked
 * byte for byte.
 */

/**
 * `diff` (structs after the previous checkpoint, and the whole delete set) with its delete
 * set replaced. `own`: an update with no structs and `diff`'s delete set; `deletions`: one
 * with no structs and the deletions since the previous checkpoint (null: not known, keep
 * the whole one). Falls back to `diff` when the bytes are not in the expected shape.
 */
export function composeDiff(
  diff: Uint8Array,
  own: Uint8Array,
  deletions: Uint8Array | null,
): Uint8Array {
  if (deletions === null || own[0] !== 0 || deletions[0] !== 0) return diff
  const tail = own.length - 1
  const cut = diff.length - tail
  if (cut < 0) return diff
  for (let i = 0; i < tail; i++) if (diff[cut + i] !== own[i + 1]) return diff
  const out = new Uint8Array(cut + deletions.length - 1)
  out.set(diff.subarray(0, cut), 0)
  out.set(deletions.subarray(1), cut)
  return out
}

/**
 * An update with no structs and the deletions of `rows` (the stored updates after the
 * previous checkpoint, in order), given a state vector that covers them; null without rows.
 */
export function deletionsOf(rows: readonly Uint8Array[] | null, sv: Uint8Array): Uint8Array | null {
  if (rows === null || rows.length === 0) return null
  return Y.diffUpdate(rows.length === 1 ? rows[0]! : Y.mergeUpdates(rows as Uint8Array[]), sv)
}

/**
 * A diff of `state` (or the live `doc` it was encoded from, state vector `sv`) against
 * `prevSv` that carries only the deletions of `rows` (every update after the previous
 * checkpoint; null when some are no longer stored: then the whole delete set).
 */
export function checkpointDiff(
  state: Uint8Array,
  doc: Y.Doc | undefined,
  sv: Uint8Array,
  prevSv: Uint8Array,
  rows: readonly Uint8Array[] | null,
): Uint8Array {
  const diff = doc ? Y.encodeStateAsUpdate(doc, prevSv) : Y.diffUpdate(state, prevSv)
  if (rows === null) return diff
  const own = doc ? Y.encodeStateAsUpdate(doc, sv) : Y.diffUpdate(state, sv)
  return composeDiff(diff, own, deletionsOf(rows, sv))
}
