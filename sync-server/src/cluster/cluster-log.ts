import type SQLite from 'better-sqlite3'
import type { Clock } from '../clock.js'
import type { CommittedRow } from '../sync/room.js'
import type { LogRow } from '../sync/update-log.js'

/** How long a compaction lease lasts when its holder dies before releasing it. */
const LEASE_MS = 30_000

/**
 * The update log as several nodes share it (SQLite file in WAL mode; Postgres later):
 * seqs are given out inside the commit transaction, so two nodes never store one seq twice
 * and a document's seqs have no holes — a node that sees seq N knows every seq below N is
 * stored. Synchronous, throws on SQLite errors (like UpdateLog).
 */
export class ClusterLog {
  readonly #lastSeq: SQLite.Statement
  readonly #insert: SQLite.Statement
  readonly #rowsAfter: SQLite.Statement
  readonly #snapshotSeq: SQLite.Statement
  readonly #takeLease: SQLite.Statement
  readonly #dropLease: SQLite.Statement
  readonly #append: (rows: readonly LogRow[]) => void

  constructor(
    sqlite: SQLite.Database,
    private readonly node: string,
    private readonly now: Clock,
  ) {
    // Rows up to a snapshot may be gone (compaction): the snapshot's seq counts too.
    this.#lastSeq = sqlite.prepare(
      `SELECT max(
         coalesce((SELECT max(seq) FROM doc_updates WHERE doc_name = ?), 0),
         coalesce((SELECT upto_seq FROM doc_snapshots WHERE doc_name = ?), 0)) AS seq`,
    )
    this.#insert = sqlite.prepare(
      'INSERT INTO doc_updates (doc_name, seq, "update", user_id, created_at) VALUES (?, ?, ?, ?, ?)',
    )
    this.#rowsAfter = sqlite.prepare(
      'SELECT seq, "update", user_id, created_at FROM doc_updates WHERE doc_name = ? AND seq > ? AND seq <= ? ORDER BY seq',
    )
    this.#snapshotSeq = sqlite.prepare('SELECT upto_seq FROM doc_snapshots WHERE doc_name = ?')
    // Taken when free, expired, or already ours.
    this.#takeLease = sqlite.prepare(
      `INSERT INTO doc_leases (doc_name, holder, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (doc_name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE doc_leases.expires_at < ? OR doc_leases.holder = excluded.holder`,
    )
    this.#dropLease = sqlite.prepare('DELETE FROM doc_leases WHERE doc_name = ? AND holder = ?')
    const next = new Map<string, number>()
    const append = sqlite.transaction((rows: readonly LogRow[]) => {
      next.clear()
      for (const r of rows) {
        let seq = next.get(r.docName)
        if (seq === undefined) {
          seq = (this.#lastSeq.get(r.docName, r.docName) as { seq: number }).seq + 1
        }
        r.seq = seq
        next.set(r.docName, seq + 1)
        this.#insert.run(r.docName, seq, r.update, r.userId, r.createdAt)
      }
    })
    // IMMEDIATE: the write lock is taken before the seqs are read, so no other node can
    // append between the read and the insert.
    this.#append = (rows) => append.immediate(rows)
  }

  /** Appends a group commit's rows, setting each row's seq (see the class comment). */
  append(rows: readonly LogRow[]): void {
    this.#append(rows)
  }

  /** The highest seq stored for the document (log or snapshot); 0 for none. */
  lastSeq(docName: string): number {
    return (this.#lastSeq.get(docName, docName) as { seq: number }).seq
  }

  /** Stored rows with `after < seq <= upto`, in seq order. */
  rowsAfter(docName: string, after: number, upto = Number.MAX_SAFE_INTEGER): CommittedRow[] {
    const rows = this.#rowsAfter.all(docName, after, upto) as {
      seq: number
      update: Uint8Array
      user_id: string | null
      created_at: number
    }[]
    return rows.map((r) => ({ seq: r.seq, update: r.update, userId: r.user_id, at: r.created_at }))
  }

  /**
   * Runs `write` under this document's compaction lease, unless another node holds it or
   * the stored snapshot is already at or past `uptoSeq` (writing ours would take it back).
   */
  compaction(docName: string, uptoSeq: number, write: () => void): void {
    const t = this.now()
    if (this.#takeLease.run(docName, this.node, t + LEASE_MS, t).changes === 0) return
    try {
      const stored = this.#snapshotSeq.get(docName) as { upto_seq: number } | undefined
      if ((stored?.upto_seq ?? 0) >= uptoSeq) return
      write()
    } finally {
      this.#dropLease.run(docName, this.node)
    }
  }
}
