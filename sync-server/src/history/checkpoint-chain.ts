import * as Y from 'yjs'
import type { CheckpointKind } from './checkpoint-policy.js'

/*
 * Diff checkpoints (issue 18): a `diff` checkpoint holds only what changed since the
 * previous checkpoint of its document, so it loads as the nearest full checkpoint at or
 * before it plus every diff after that one, up to it. Invariant kept by compaction and
 * retention: the oldest checkpoint of a document is full, and a diff's predecessor exists.
 */

/**
 * The full state of the last of `chain` (oldest first: one full checkpoint, then diffs):
 * one `Y.mergeUpdates`, so the caller applies a single update.
 */
export function chainState(
  chain: readonly { kind: CheckpointKind; state: Uint8Array }[],
): Uint8Array {
  if (chain.length === 0 || chain[0]!.kind !== 'full') {
    throw new Error('a checkpoint chain starts with a full state')
  }
  if (chain.length === 1) return chain[0]!.state
  return Y.mergeUpdates(chain.map((c) => c.state))
}

export interface CheckpointFold {
  /** The kept checkpoint whose stored state becomes the merge of `from`'s and its own. */
  into: number
  /** Dropped checkpoints (upto_seq, oldest first) folded into it. */
  from: number[]
  /** Its kind after folding: full when the run folded in starts with a full state. */
  kind: CheckpointKind
}

/**
 * What retention must rewrite so that dropping `drop` breaks no chain: each kept diff
 * right after dropped checkpoints absorbs them (their merge is the diff against the kept
 * checkpoint before them, or a full state when a dropped full one starts the run). Runs
 * followed by a kept full checkpoint (or by nothing) need nothing.
 */
export function foldsFor(
  checkpoints: readonly { uptoSeq: number; kind: CheckpointKind }[],
  drop: ReadonlySet<number>,
): CheckpointFold[] {
  const sorted = [...checkpoints].sort((a, b) => a.uptoSeq - b.uptoSeq)
  const folds: CheckpointFold[] = []
  let run: { from: number[]; kind: CheckpointKind } | null = null
  for (const c of sorted) {
    if (drop.has(c.uptoSeq)) {
      if (c.kind === 'full') run = { from: [c.uptoSeq], kind: 'full' }
      else if (run) run.from.push(c.uptoSeq)
      else run = { from: [c.uptoSeq], kind: 'diff' }
      continue
    }
    if (run && c.kind === 'diff') folds.push({ into: c.uptoSeq, from: run.from, kind: run.kind })
    run = null
  }
  return folds
}
