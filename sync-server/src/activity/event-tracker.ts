import * as Y from 'yjs'
import type { StoredLog } from '../reports/projector.js'
import { isUpdateOrigin, topOf } from '../sync/transaction-origin.js'
import {
  type BoardEvent,
  columnLookup,
  diffTask,
  labelLookup,
  readTaskState,
  type TaskState,
} from './board-events.js'

type YMapAny = Y.Map<unknown>

/**
 * Follows one document and turns each applied update into board events. Runs inside the
 * room's applyUpdate, so it only reads the tasks the update touched and keeps a plain copy
 * of their state; writing happens later (ActivityObserver).
 */
export class EventTracker {
  readonly known = new Map<string, TaskState>()
  events: BoardEvent[] = []
  readonly #tasks: Y.Map<YMapAny>

  constructor(readonly doc: Y.Doc) {
    // Define the root types first: a root that an update creates before anyone asked for
    // it is a placeholder that getMap() later replaces, so identity checks would miss it.
    this.#tasks = doc.getMap<YMapAny>('tasks')
    doc.getMap('columns')
    doc.getMap('labels')
    doc.getMap('meta')
    this.#tasks.forEach((task, id) => {
      if (task instanceof Y.Map) this.known.set(id, readTaskState(task))
    })
    doc.on('afterTransaction', this.#onTransaction)
  }

  detach(): void {
    this.doc.off('afterTransaction', this.#onTransaction)
  }

  /** Removes and returns the events of updates up to `seq` (durable ones). */
  take(seq: number): BoardEvent[] {
    const ready = this.events.filter((e) => e.seq <= seq)
    if (ready.length > 0) this.events = this.events.filter((e) => e.seq > seq)
    return ready
  }

  #onTransaction = (tr: Y.Transaction): void => {
    if (tr.changed.size === 0) return
    const tasks = this.#tasks
    // Task id → the fields the update touched; null = read the whole task (added/replaced).
    const affected = new Map<string, Set<string> | null>()
    const touch = (id: string, field: string | null) => {
      if (!affected.has(id)) affected.set(id, new Set())
      const fields = affected.get(id)
      if (fields && field !== null) fields.add(field)
      else if (field === null) affected.set(id, null)
    }
    for (const [changedType, keys] of tr.changed) {
      const type = changedType as Y.AbstractType<unknown>
      if (type === (tasks as Y.AbstractType<unknown>)) {
        for (const k of keys) if (k !== null) touch(k, null)
        continue
      }
      const top = topOf(type)
      if (top.root !== tasks || !top.key) continue
      if (top.field !== null) touch(top.key, top.field)
      // The task's own map changed: its changed keys are the fields.
      else for (const k of keys) if (k !== null) touch(top.key, k)
    }
    if (affected.size === 0) return
    // Updates not sent by a client (none today) move the baseline without events.
    const origin = isUpdateOrigin(tr.origin) ? tr.origin : null
    const columns = columnLookup(this.doc)
    const labels = labelLookup(this.doc)
    for (const [id, fields] of affected) {
      const task = tasks.get(id)
      if (!(task instanceof Y.Map)) {
        this.known.delete(id)
        continue
      }
      const prev = this.known.get(id)
      const next = readTaskState(task, prev, fields ?? undefined)
      this.known.set(id, next)
      if (!origin) continue
      const body = (commentId: string) => {
        const c = (task.get('comments') as YMapAny | undefined)?.get(commentId)
        const b = c instanceof Y.Map ? c.get('body') : undefined
        return b instanceof Y.Text ? b.toString() : ''
      }
      const by = { seq: origin.seq, userId: origin.userId, at: origin.at }
      for (const e of diffTask(id, prev, next, by, columns, body, labels)) this.events.push(e)
    }
  }
}

/**
 * Replays the stored log after `derivedSeq` into a scratch document and returns the events
 * of each logged update, with its sender and time (catch-up after a crash or a reload).
 * Updates merged into the snapshot cannot be replayed one by one: if `derivedSeq` is older
 * than the snapshot, what happened in between has no events.
 */
export function replayEvents(stored: StoredLog, derivedSeq: number): BoardEvent[] {
  const doc = new Y.Doc()
  try {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
    const start = Math.max(derivedSeq, stored.snapshotSeq)
    for (const r of stored.rows) if (r.seq <= start) Y.applyUpdate(doc, r.update)
    const tracker = new EventTracker(doc)
    for (const r of stored.rows) {
      if (r.seq > start) {
        Y.applyUpdate(doc, r.update, { seq: r.seq, userId: r.userId, at: r.createdAt })
      }
    }
    tracker.detach()
    return tracker.events
  } finally {
    doc.destroy()
  }
}
