/*
 * When compaction keeps a checkpoint, and which ones retention keeps (issue 18,
 * docs/operations.md "Board history"). Pure functions of stored facts and the time.
 */

export const DAY_MS = 86_400_000
/** Checkpoints younger than this are kept one per UTC day, older ones one per week. */
export const DAILY_CHECKPOINT_DAYS = 7

export interface HistoryPolicy {
  /** Days of history kept; 0 = none (compaction drops the log, as before history). */
  days: number
  /**
   * A checkpoint after this many updates since the last one: bounds the rows a `?at=`
   * read replays after its checkpoint.
   */
  checkpointUpdates: number
}

/**
 * Default spacing. Replaying thousands of small updates onto a large board is what made
 * `?at=` slow (docs/benchmarks.md "Board history"); 1,000 keeps that replay short, and
 * diff checkpoints make the spacing cheap in storage.
 */
export const DEFAULT_CHECKPOINT_UPDATES = 1000

export type CheckpointKind = 'full' | 'diff'

export interface CheckpointFacts {
  /** The newest checkpoint (null: none yet). */
  last: { uptoSeq: number; uptoAt: number } | null
  /** Updates after the newest checkpoint. */
  updatesSince: number
  /** Bytes of the log after the newest *full* checkpoint (the chain's base). */
  logBytesSinceFull: number
  /** Bytes of the diff checkpoints after the newest full one. */
  chainBytes: number
  /** Size of the state about to be stored. */
  stateBytes: number
  /** Time of the newest update the state holds. */
  uptoAt: number
}

/**
 * Whether compaction keeps the state it writes as a checkpoint, and how: always the first
 * one (full); after that once `checkpointUpdates` updates passed since the last one or on a
 * new UTC day (so at least daily while a board changes, and never more than about
 * `checkpointUpdates` rows to replay). It is a full state once the log since the last full
 * one outweighs that state plus the diff chain after it — so the full states and diffs of
 * a chain never cost more than the log they cover (history ≤ 2 × (state + log)), and a
 * chain's bytes never exceed a full state — else a diff against the previous checkpoint
 * (kept only when `diffKept`).
 */
export function checkpointKind(f: CheckpointFacts, policy: HistoryPolicy): CheckpointKind | null {
  if (policy.days === 0) return null
  if (f.last === null) return 'full'
  if (!checkpointDue(f, policy)) return null
  return f.logBytesSinceFull >= f.stateBytes + f.chainBytes ? 'full' : 'diff'
}

/** Whether a checkpoint after `last` is due (known before the state is encoded). */
export function checkpointDue(
  f: Pick<CheckpointFacts, 'last' | 'updatesSince' | 'uptoAt'>,
  policy: HistoryPolicy,
): boolean {
  if (policy.days === 0 || f.updatesSince === 0) return false
  if (f.last === null) return true
  return (
    f.updatesSince >= policy.checkpointUpdates ||
    Math.floor(f.uptoAt / DAY_MS) !== Math.floor(f.last.uptoAt / DAY_MS)
  )
}

/**
 * A diff is kept only while the chain stays within the log it covers (the storage bound
 * above). A diff carries the document's whole delete set, so on a board with a lot of
 * deletions it can outweigh a few hundred small updates: then the rows replay instead.
 */
export function diffKept(f: CheckpointFacts, diffBytes: number): boolean {
  return f.chainBytes + diffBytes <= f.logBytesSinceFull
}

export interface ThinningPlan {
  /** Checkpoints (by upto_seq) to delete. */
  dropCheckpoints: number[]
  /** Update rows with seq <= this can go (0: none): nothing before the oldest kept checkpoint needs them. */
  dropRowsUpto: number
}

/**
 * Which checkpoints retention keeps (`checkpoints` in any order): every one of the last
 * DAILY_CHECKPOINT_DAYS days' newest per UTC day, before that the newest per week (weeks
 * start Monday), and of those older than the retention window only the newest (the base
 * the window's first instants are replayed from). Rows up to the oldest kept checkpoint
 * are dropped. The newest checkpoint is always kept. A thinned checkpoint loses no
 * instant: the rows after the previous kept checkpoint still replay through it.
 */
export function thinningPlan(
  checkpoints: readonly { uptoSeq: number; uptoAt: number }[],
  now: number,
  days: number,
): ThinningPlan {
  const sorted = [...checkpoints].sort((a, b) => b.uptoSeq - a.uptoSeq)
  if (sorted.length === 0) return { dropCheckpoints: [], dropRowsUpto: 0 }
  const cutoff = now - days * DAY_MS
  const dailyFrom = now - DAILY_CHECKPOINT_DAYS * DAY_MS
  const seenBuckets = new Set<string>()
  const keep: { uptoSeq: number; uptoAt: number }[] = []
  const drop: number[] = []
  let baseKept = false
  for (const [i, c] of sorted.entries()) {
    if (i === 0) {
      keep.push(c)
      seenBuckets.add(bucketOf(c.uptoAt, dailyFrom))
      if (c.uptoAt <= cutoff) baseKept = true
      continue
    }
    if (c.uptoAt <= cutoff) {
      if (baseKept) drop.push(c.uptoSeq)
      else {
        baseKept = true
        keep.push(c)
      }
      continue
    }
    const bucket = bucketOf(c.uptoAt, dailyFrom)
    if (seenBuckets.has(bucket)) drop.push(c.uptoSeq)
    else {
      seenBuckets.add(bucket)
      keep.push(c)
    }
  }
  // Rows before the oldest kept checkpoint replay nothing anyone can ask for, but only once
  // that checkpoint is older than the window: a younger one means the window starts before
  // any checkpoint, and those rows are the window's first instants.
  const oldest = keep[keep.length - 1]!
  const dropRowsUpto = oldest.uptoAt <= cutoff ? oldest.uptoSeq : 0
  return { dropCheckpoints: drop, dropRowsUpto }
}

function bucketOf(at: number, dailyFrom: number): string {
  const day = Math.floor(at / DAY_MS)
  if (at >= dailyFrom) return `d${day}`
  // 1970-01-01 was a Thursday: shift so weeks start on Monday.
  return `w${Math.floor((day + 3) / 7)}`
}
