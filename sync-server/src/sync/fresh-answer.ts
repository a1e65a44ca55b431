import * as Y from 'yjs'
import { encodeFrame, type Frame } from './frames.js'
import { encodeSyncStep2, updateMessageHead } from './protocol.js'

/** An empty sync step 2: y-websocket's provider sets `synced` when it arrives. */
const SYNCED = encodeFrame(encodeSyncStep2(new Uint8Array([0, 0])))

/**
 * A segment larger than this stays as it is: merging it is a synchronous Yjs pass over all
 * of it (0.8 s for an 8.7 MB row holding an imported 10,000-task board, answering the first
 * peer of a board that loaded). Each segment above it is at least this large, so there are
 * at most (stored bytes / this) of them.
 */
const MERGE_MAX_BYTES = 256 * 1024

interface Segment {
  update: Uint8Array
  /** Built once the segment is sent (segments merged on the way never are). */
  frame: Frame | null
}

/**
 * What a peer holding nothing is sent (SPEC 2.2, 5.6): the stored snapshot, the log after
 * it, then an empty sync step 2, so the provider's `synced` means it holds everything
 * stored. The frames are built once and the same ones are written to every socket that
 * asks, so a document is queued once in memory however many peers have not read it yet.
 *
 * The log is kept as a few merged segments, each more than twice as large as the next newer
 * one (so there are O(log) of them): a row committed since the last request becomes a
 * segment of its own, and a segment is merged with the older one before it once it has
 * grown to half its size. So a new version costs merges
 * of what is new (plus an amortised logarithmic share of older bytes) — never a re-merge of
 * the whole log, which a peer asking after every commit of a busy document would otherwise
 * get for free, nor of a large row (an imported board) with the small edits after it, nor
 * (MERGE_MAX_BYTES) with the small rows before it.
 */
export class FreshAnswer {
  #snapshotUpdate: Uint8Array | null = null
  #snapshot: Frame | null = null
  #segments: Segment[] = []
  /** Committed rows not yet in a segment, in seq order. */
  #unmerged: Uint8Array[] = []
  #frames: Frame[] | null = null

  /** `onBuild`: told each time frames are (re)built, for the hub's counters. */
  constructor(private readonly onBuild: () => void) {}

  /** Starts over from stored state: load, reload, compaction. The snapshot's frame is built on first use. */
  reset(snapshot: Uint8Array | null, log: readonly Uint8Array[]): void {
    this.#snapshotUpdate = snapshot
    this.#snapshot = null
    this.#segments = []
    this.#unmerged = [...log]
    this.#frames = null
  }

  /** A row committed after everything given so far. */
  append(update: Uint8Array): void {
    this.#unmerged.push(update)
    this.#frames = null
  }

  frames(): readonly Frame[] {
    if (this.#frames) return this.#frames
    this.onBuild()
    if (this.#snapshotUpdate && !this.#snapshot) this.#snapshot = updateFrame(this.#snapshotUpdate)
    const s = this.#segments
    for (const update of this.#unmerged) {
      s.push({ update, frame: null })
      while (
        s.length >= 2 &&
        s[s.length - 1]!.update.length <= MERGE_MAX_BYTES &&
        2 * s[s.length - 1]!.update.length >= s[s.length - 2]!.update.length
      ) {
        const newer = s.pop()!
        const older = s.pop()!
        s.push({ update: Y.mergeUpdates([older.update, newer.update]), frame: null })
      }
    }
    this.#unmerged = []
    const frames = this.#snapshot ? [this.#snapshot] : []
    for (const seg of s) {
      seg.frame ??= updateFrame(seg.update)
      frames.push(seg.frame)
    }
    frames.push(SYNCED)
    this.#frames = frames
    return frames
  }
}

/** `update` as a sync-update frame, copied once (a segment can be a whole 8.7 MB board). */
function updateFrame(update: Uint8Array): Frame {
  return encodeFrame(updateMessageHead(update.length), update)
}
