import * as Y from 'yjs'
import { encodeFrame, type Frame } from './frames.js'
import { encodeSyncStep2, encodeUpdate } from './protocol.js'

/** An empty sync step 2: y-websocket's provider sets `synced` when it arrives. */
const SYNCED = encodeFrame(encodeSyncStep2(new Uint8Array([0, 0])))

interface Segment {
  update: Uint8Array
  frame: Frame
}

/**
 * What a peer holding nothing is sent (SPEC 2.2, 5.6): the stored snapshot, the log after
 * it, then an empty sync step 2, so the provider's `synced` means it holds everything
 * stored. The frames are built once and the same ones are written to every socket that
 * asks, so a document is queued once in memory however many peers have not read it yet.
 *
 * The log is kept as a few merged segments, each larger than the next newer one; rows
 * committed since the last request become a new segment, merged into older ones only once
 * it has grown as large as them. So a new version costs a merge of what is new (plus an
 * amortised logarithmic share of older bytes) — never a re-merge of the whole log, which a
 * peer asking after every commit of a busy document would otherwise get for free.
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
    if (this.#snapshotUpdate && !this.#snapshot)
      this.#snapshot = encodeFrame(encodeUpdate(this.#snapshotUpdate))
    if (this.#unmerged.length > 0) {
      this.#segments.push(segment(this.#unmerged))
      this.#unmerged = []
      const s = this.#segments
      while (s.length >= 2 && s[s.length - 1]!.update.length >= s[s.length - 2]!.update.length) {
        const newer = s.pop()!
        const older = s.pop()!
        s.push(segment([older.update, newer.update]))
      }
    }
    this.#frames = [
      ...(this.#snapshot ? [this.#snapshot] : []),
      ...this.#segments.map((s) => s.frame),
      SYNCED,
    ]
    return this.#frames
  }
}

function segment(updates: readonly Uint8Array[]): Segment {
  const update = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates as Uint8Array[])
  return { update, frame: encodeFrame(encodeUpdate(update)) }
}
