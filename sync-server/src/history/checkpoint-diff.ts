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
 * one zero byte, then the delete set. So the delete set of a diff is swapped by cutting the
 * bytes of the whole one off its end and appending the new one, checked byte for byte.
 */

/** The structs of `update` followed by the delete set of `deletions` (both v1, as written by `deleteSetOf`). */
export function withDeleteSet(
  update: Uint8Array,
  ownDeleteSet: Uint8Array,
  deletions: Uint8Array,
): Uint8Array | null {
  const cut = update.length - ownDeleteSet.length
  if (cut < 0) return null
  for (let i = 0; i < ownDeleteSet.length; i++) if (update[cut + i] !== ownDeleteSet[i]) return null
  const out = new Uint8Array(cut + deletions.length)
  out.set(update.subarray(0, cut), 0)
  out.set(deletions, cut)
  return out
}

/**
 * The encoded delete set of an update (v1), given a state vector it holds no struct beyond
 * (its own, or a later one); null when the update is not in the expected shape.
 */
export function deleteSetOf(update: Uint8Array, sv: Uint8Array): Uint8Array | null {
  return structless(Y.diffUpdate(update, sv))
}

/** The encoded delete set of a document (no pending updates). */
export function docDeleteSet(doc: Y.Doc): Uint8Array | null {
  return structless(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)))
}

function structless(u: Uint8Array): Uint8Array | null {
  return u.length > 0 && u[0] === 0 ? u.subarray(1) : null
}

/**
 * A diff of `state` (or the live `doc` it was encoded from) against `prevSv` that carries
 * only the deletions of `rows` (every update after the previous checkpoint, in order).
 * Falls back to the diff with the whole delete set when the bytes are not as expected, or
 * when `rows` is null (some are no longer stored).
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
  const own = doc ? docDeleteSet(doc) : deleteSetOf(state, sv)
  // An empty delete set is one zero byte (no clients).
  const deletions =
    rows.length === 0
      ? new Uint8Array([0])
      : deleteSetOf(rows.length === 1 ? rows[0]! : Y.mergeUpdates(rows as Uint8Array[]), sv)
  if (!own || !deletions) return diff
  return withDeleteSet(diff, own, deletions) ?? diff
}
