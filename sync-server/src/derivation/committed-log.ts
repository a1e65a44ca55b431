import type { Db } from '../db/database.js'
import { joinedState } from '../sync/state-parts.js'
import { storedLastSeq } from '../sync/stored-seq.js'
import { updateBytes, updateIfSmall, withLargeUpdates } from '../sync/update-pieces.js'

/** One committed update of a document's log, with who sent it and when it was stored. */
export interface LogEntry {
  seq: number
  update: Uint8Array
  userId: string | null
  createdAt: number
}

/** A document's latest snapshot: the updates up to `seq` merged into one. */
export interface LogSnapshot {
  state: Uint8Array
  seq: number
}

/**
 * What the derivation engine reads of the committed update log: rows by sequence, never the
 * live room document. Kept this small so the log's storage (sync/update-log.ts, one or
 * another SQL dialect) can change underneath without touching derivations.
 */
export interface CommittedLog {
  /** The latest snapshot of `docName`, or null when it has none. */
  snapshot(docName: string): Promise<LogSnapshot | null>
  /** Up to `limit` committed rows with seq > `afterSeq`, in seq order. */
  rowsAfter(docName: string, afterSeq: number, limit: number): Promise<LogEntry[]>
  /** Highest committed seq of `docName` (log or snapshot); 0 for none. */
  lastSeq(docName: string): Promise<number>
  /** Highest committed seq of every document that has one (start-up catch-up). */
  lastSeqs(): Promise<Map<string, number>>
}

/** The committed log read through Kysely (doc_snapshots, doc_updates). */
export function createCommittedLog(db: Db): CommittedLog {
  return {
    async snapshot(docName) {
      const row = await db
        .selectFrom('doc_snapshots')
        .select(['upto_seq', 'state', 'parts_id', 'parts'])
        .where('doc_name', '=', docName)
        .executeTakeFirst()
      return row ? { state: new Uint8Array(await joinedState(db, row)), seq: row.upto_seq } : null
    },
    async rowsAfter(docName, afterSeq, limit) {
      for (;;) {
        const selected = await db
          .selectFrom('doc_updates')
          .select([
            'seq',
            updateIfSmall().as('update'),
            updateBytes().as('bytes'),
            'user_id',
            'created_at',
          ])
          .where('doc_name', '=', docName)
          .where('seq', '>', afterSeq)
          .orderBy('seq')
          .limit(limit)
          .execute()
        // A large update (an imported board) in pieces, the event loop free in between; a row
        // compacted away meanwhile: read again (the rows after it are what is left).
        const rows = await withLargeUpdates(db, docName, selected)
        if (!rows) continue
        return rows.map((r) => ({
          seq: r.seq,
          update: r.update instanceof Buffer ? new Uint8Array(r.update) : r.update,
          userId: r.user_id,
          createdAt: r.created_at,
        }))
      }
    },
    lastSeq: (docName) => storedLastSeq(db, docName),
    async lastSeqs() {
      const out = new Map<string, number>()
      const logged = await db
        .selectFrom('doc_updates')
        .select(['doc_name', (eb) => eb.fn.max('seq').as('seq')])
        .groupBy('doc_name')
        .execute()
      for (const r of logged) out.set(r.doc_name, Number(r.seq))
      const snaps = await db.selectFrom('doc_snapshots').select(['doc_name', 'upto_seq']).execute()
      for (const s of snaps) out.set(s.doc_name, Math.max(out.get(s.doc_name) ?? 0, s.upto_seq))
      return out
    },
  }
}
