import * as Y from 'yjs'
import { appendRow, type LoadedRows, openUpdatesDb } from './update-rows'
import { compactStoredDoc, loadStoredDoc } from './update-rows-client'

/** Stored rows at which compaction starts (y-indexeddb's PREFERRED_TRIM_SIZE). */
export const COMPACT_AT_ROWS = 500
/** Compaction waits for this long without edits, so a burst of typing is stored first. */
export const COMPACT_AFTER_IDLE_MS = 1_000

type UpdateListener = (update: Uint8Array, origin: unknown) => void

export interface LocalPersistenceOptions {
  /**
   * `doc.on('update')` listeners that need not hear the stored state being applied (the
   * provider, not connected yet, syncs state vectors once it is). While any update
   * listener is attached, Yjs encodes the whole applied state for it: ~140 ms at 5k tasks.
   */
  quietWhileLoading?: UpdateListener[]
  /** Defaults: the shared worker (update-rows-client.ts). Tests pass their own. */
  load?: typeof loadStoredDoc
  compact?: typeof compactStoredDoc
}

/**
 * A Y.Doc's local copy in IndexedDB, in y-indexeddb's storage format (update-rows.ts),
 * without y-indexeddb's main-thread costs: the stored rows are read and merged in a worker
 * (from `prefetch()`, so that can overlap other work), `hydrate()` applies them as one update with no update
 * listener attached, no extra row is written per open, and compaction (y-indexeddb's trim,
 * which re-applies and re-encodes the whole document) runs in the worker.
 *
 * Local changes (any origin but this one) are stored one row each, as y-indexeddb does.
 */
export class LocalPersistence {
  synced = false
  /** Resolves once the stored state is applied to the doc. */
  readonly whenSynced: Promise<void>
  private resolveSynced!: () => void
  private loading: { stored: Promise<LoadedRows>; db: Promise<IDBDatabase> } | null = null
  private readonly compact: typeof compactStoredDoc
  private rows = 0
  private compacting = false
  private compactTimer: ReturnType<typeof setTimeout> | undefined
  private destroyed = false

  constructor(
    readonly name: string,
    readonly doc: Y.Doc,
    private readonly options: LocalPersistenceOptions = {},
  ) {
    this.whenSynced = new Promise((resolve) => {
      this.resolveSynced = resolve
    })
    this.compact = options.compact ?? compactStoredDoc
  }

  /**
   * Starts reading and merging the stored rows (in the worker) and opening the database for
   * later writes; `hydrate()` does it if nobody did. Call it once nothing urgent reads
   * IndexedDB: a few megabytes read first would hold up a small read queued behind them.
   */
  prefetch(): { stored: Promise<LoadedRows>; db: Promise<IDBDatabase> } {
    if (!this.loading) {
      const stored = (this.options.load ?? loadStoredDoc)(this.name)
      const db = openUpdatesDb(this.name)
      // Handled in hydrate(); no unhandled rejection if it never runs.
      stored.catch(() => {})
      db.catch(() => {})
      this.loading = { stored, db }
    }
    return this.loading
  }

  /**
   * Applies the stored state to the doc (origin: this), then stores every later change.
   * Content the doc got before this is stored as one row first, so nothing is lost.
   * Rejects if IndexedDB cannot be read; the doc is then unchanged and nothing is stored.
   */
  async hydrate(): Promise<void> {
    if (this.destroyed) return
    const { stored, db: opening } = this.prefetch()
    const [{ update, rows }, db] = await Promise.all([stored, opening])
    if (this.destroyed) return
    this.rows = rows
    if (this.doc.store.clients.size > 0) {
      this.rows++
      void appendRow(db, Y.encodeStateAsUpdate(this.doc)).catch(reportStoreError)
    }
    if (update) {
      const quiet = this.options.quietWhileLoading ?? []
      for (const listener of quiet) this.doc.off('update', listener)
      const start = performance.now()
      try {
        Y.applyUpdate(this.doc, update, this)
      } finally {
        for (const listener of quiet) this.doc.on('update', listener)
      }
      // Read by app/bench/board-open.mjs.
      performance.measure('taskflow:local-apply', { start, end: performance.now() })
    }
    this.doc.on('update', this.storeUpdate)
    this.synced = true
    this.resolveSynced()
    this.scheduleCompaction()
  }

  private readonly storeUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this) return
    this.rows++
    void this.loading?.db.then((db) => appendRow(db, update)).catch(reportStoreError)
    this.scheduleCompaction()
  }

  private scheduleCompaction(): void {
    if (this.rows < COMPACT_AT_ROWS) return
    clearTimeout(this.compactTimer)
    this.compactTimer = setTimeout(() => this.runCompaction(), COMPACT_AFTER_IDLE_MS)
  }

  private runCompaction(): void {
    this.compactTimer = undefined
    // Edits during a compaction re-arm the timer from a count that is only corrected when it
    // finishes; one that finished meanwhile may have left nothing worth merging.
    if (this.compacting || this.rows < COMPACT_AT_ROWS) return
    this.compacting = true
    this.compact(this.name).then(
      (left) => {
        this.compacting = false
        this.rows = left
        if (!this.destroyed) this.scheduleCompaction()
      },
      (error) => {
        // The rows are as they were; the next edit past the threshold tries again.
        this.compacting = false
        reportStoreError(error)
      },
    )
  }

  /**
   * Stops storing changes. A compaction not started yet is dropped: the next open starts it
   * (and one started during sign-out could race the deletion of the database).
   */
  destroy(): Promise<void> {
    if (this.destroyed) return Promise.resolve()
    this.destroyed = true
    this.doc.off('update', this.storeUpdate)
    clearTimeout(this.compactTimer)
    // close() waits for the appends already queued.
    if (!this.loading) return Promise.resolve()
    return this.loading.db.then(
      (db) => db.close(),
      () => {},
    )
  }
}

function reportStoreError(error: unknown): void {
  // Quota, a private window, or sign-out deleting the database: the server still has
  // every synced edit; only unsynced offline edits are at risk, and nothing can save them.
  console.warn('TaskFlow: saving the local copy failed', error)
}
