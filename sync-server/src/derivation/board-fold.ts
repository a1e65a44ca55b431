import { projectBoard } from '@taskflow/board'
import * as Y from 'yjs'
import type { BoardEvent } from '../activity/board-events.js'
import { EventTracker } from '../activity/event-tracker.js'
import type { Clock } from '../clock.js'
import type { ProjectedTask } from '../reports/projection.repository.js'
import { collectProjection, DocTracker, type ProjectionWork } from '../reports/projector.js'
import type { LogEntry, LogSnapshot } from './committed-log.js'

/** What one run of the log through a fold yields, for the consumers to write. */
export interface FoldOutput {
  /** Changed task rows, columns, fields, search text, relations, status changes. */
  projection: ProjectionWork | null
  /** Board events of the folded updates, each with its update's seq, sender and time. */
  events: BoardEvent[]
}

export interface FoldBase {
  snapshot: LogSnapshot | null
  /** Logged rows after the snapshot, up to at least `start`. */
  rows: readonly LogEntry[]
  /** The lowest consumer cursor: rows up to here are state, later ones are news. */
  start: number
  /** The projection's cursor (null: never projected) and its rows at that cursor. */
  projectedSeq: number | null
  projected: readonly ProjectedTask[]
}

/**
 * A scratch copy of one board document, advanced by committed log rows in seq order, with
 * the trackers that turn each applied row into derived facts. It never sees the live room
 * document: what it derives depends only on the log and the stored cursors, so any node
 * (or this one after a crash) derives the same.
 */
export class BoardFold {
  readonly doc = new Y.Doc()
  /** The last log seq applied. */
  pos: number
  readonly #projection: DocTracker
  readonly #events: EventTracker

  constructor(base: FoldBase, now: Clock) {
    const { snapshot } = base
    const snapshotSeq = snapshot?.seq ?? 0
    if (snapshot) Y.applyUpdate(this.doc, snapshot.state)
    this.pos = Math.max(base.start, snapshotSeq)
    for (const r of base.rows) if (r.seq > snapshotSeq && r.seq <= this.pos) this.#applyState(r)
    this.#projection = new DocTracker(this.doc, now)
    const tracker = this.#projection
    for (const k of base.projected) tracker.known.set(k.taskId, k)
    const projected = base.projectedSeq ?? -1
    if (projected < snapshotSeq || projected < this.pos) {
      // Updates merged into the snapshot (or applied above as state) cannot be told apart:
      // what changed in between is one change per task at this seq, with no sender.
      const all = projectBoard(this.doc).tasks
      const ids = new Set(all.map((t) => t.taskId))
      tracker.diff(
        all,
        base.projected.filter((k) => !ids.has(k.taskId)).map((k) => k.taskId),
        { seq: this.pos, userId: null, at: now() },
      )
      tracker.structural = true
      tracker.relationsDirty = true
      tracker.fieldsDirty = true
      for (const id of tracker.dirty) tracker.searchDirty.add(id)
    }
    if (base.projectedSeq === null) tracker.structural = true
    tracker.lastSeq = this.pos
    this.#events = new EventTracker(this.doc)
  }

  /** Applies committed rows after `pos`, in order, each attributed to its sender and time. */
  apply(rows: readonly LogEntry[]): void {
    for (const r of rows) {
      if (r.seq <= this.pos) continue
      Y.applyUpdate(this.doc, r.update, { seq: r.seq, userId: r.userId, at: r.createdAt })
      this.pos = r.seq
    }
  }

  /** Takes what the rows applied since the last call derive. */
  collect(): FoldOutput {
    return {
      projection: collectProjection(this.#projection, this.pos),
      events: this.#events.take(this.pos),
    }
  }

  /**
   * This fold as a base another folder can rebuild it from (sized-folder.ts moves a fold to
   * the worker): its document at `pos`, and the projected state it has reported so far. Call
   * after `collect`: what is not collected yet is not carried over.
   */
  handOver(): FoldBase {
    const projected: ProjectedTask[] = []
    for (const [taskId, p] of this.#projection.known) projected.push({ taskId, ...p })
    return {
      snapshot: { seq: this.pos, state: Y.encodeStateAsUpdate(this.doc) },
      rows: [],
      start: this.pos,
      projectedSeq: this.pos,
      projected,
    }
  }

  destroy(): void {
    this.#projection.detach()
    this.#events.detach()
    this.doc.destroy()
  }

  #applyState(r: LogEntry): void {
    Y.applyUpdate(this.doc, r.update)
  }
}
