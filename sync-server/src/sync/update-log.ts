import type SQLite from 'better-sqlite3'
import type { Clock } from '../clock.js'

/** What a document's storage holds: the latest snapshot (if any) and the log after it. */
export interface StoredDoc {
  snapshot: Uint8Array | null
  /** Highest seq merged into the snapshot (0 without one). */
  snapshotSeq: number
  /** Log rows with seq > snapshotSeq, in seq order. */
  updates: { seq: number; update: Uint8Array }[]
  /** Highest seq stored for the document (the next append uses lastSeq + 1). */
  lastSeq: number
}

export interface LogRow {
  docName: string
  seq: number
  update: Uint8Array
  userId: string | null
  createdAt: number
}

/** Test seam: called inside the compaction transaction after the snapshot is written. */
export interface CompactionHooks {
  afterSnapshotWrite?: (docName: string) => void
}

/**
 * The hot path of persistence: prepared better-sqlite3 statements, no query builder.
 * Every method is synchronous and throws on SQLite errors; callers decide what fails.
 */
export class UpdateLog {
  readonly #insert: SQLite.Statement
  readonly #selectSnapshot: SQLite.Statement
  readonly #selectUpdates: SQLite.Statement
  readonly #upsertSnapshot: SQLite.Statement
  readonly #deleteUpto: SQLite.Statement
  readonly #deleteAllUpdates: SQLite.Statement
  readonly #deleteSnapshot: SQLite.Statement
  readonly #appendBatch: (rows: readonly LogRow[]) => void
  readonly #compact: (docName: string, state: Uint8Array, uptoSeq: number, now: number) => void

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly now: Clock,
    private readonly hooks: CompactionHooks = {},
  ) {
    this.#insert = sqlite.prepare(
      'INSERT INTO doc_updates (doc_name, seq, "update", user_id, created_at) VALUES (?, ?, ?, ?, ?)',
    )
    this.#selectSnapshot = sqlite.prepare(
      'SELECT upto_seq, state FROM doc_snapshots WHERE doc_name = ?',
    )
    this.#selectUpdates = sqlite.prepare(
      'SELECT seq, "update" FROM doc_updates WHERE doc_name = ? AND seq > ? ORDER BY seq',
    )
    this.#upsertSnapshot = sqlite.prepare(
      `INSERT INTO doc_snapshots (doc_name, upto_seq, state, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (doc_name) DO UPDATE SET upto_seq = excluded.upto_seq, state = excluded.state,
         created_at = excluded.created_at`,
    )
    this.#deleteUpto = sqlite.prepare('DELETE FROM doc_updates WHERE doc_name = ? AND seq <= ?')
    this.#deleteAllUpdates = sqlite.prepare('DELETE FROM doc_updates WHERE doc_name = ?')
    this.#deleteSnapshot = sqlite.prepare('DELETE FROM doc_snapshots WHERE doc_name = ?')
    this.#appendBatch = sqlite.transaction((rows: readonly LogRow[]) => {
      for (const r of rows) this.#insert.run(r.docName, r.seq, r.update, r.userId, r.createdAt)
    })
    // One transaction: either the new snapshot and the shorter log, or neither (SPEC 3.4).
    this.#compact = sqlite.transaction(
      (docName: string, state: Uint8Array, uptoSeq: number, now: number) => {
        this.#upsertSnapshot.run(docName, uptoSeq, state, now)
        this.hooks.afterSnapshotWrite?.(docName)
        this.#deleteUpto.run(docName, uptoSeq)
      },
    )
  }

  load(docName: string): StoredDoc {
    const snap = this.#selectSnapshot.get(docName) as
      | { upto_seq: number; state: Uint8Array }
      | undefined
    const snapshotSeq = snap?.upto_seq ?? 0
    const updates = (
      this.#selectUpdates.all(docName, snapshotSeq) as { seq: number; update: Uint8Array }[]
    ).map((r) => ({ seq: r.seq, update: r.update }))
    const lastSeq = updates.length > 0 ? updates[updates.length - 1]!.seq : snapshotSeq
    return { snapshot: snap?.state ?? null, snapshotSeq, updates, lastSeq }
  }

  /** Appends rows of any documents in one transaction (group commit). */
  append(rows: readonly LogRow[]): void {
    this.#appendBatch(rows)
  }

  /** Replaces the snapshot with `state` (which must include every update <= uptoSeq) and drops those log rows, atomically. */
  compact(docName: string, state: Uint8Array, uptoSeq: number): void {
    this.#compact(docName, state, uptoSeq, this.now())
  }

  deleteDocument(docName: string): void {
    this.sqlite.transaction(() => {
      this.#deleteAllUpdates.run(docName)
      this.#deleteSnapshot.run(docName)
    })()
  }
}
