import { sql } from 'kysely'
import type { Clock } from '../clock.js'
import { type Db, dialectOf } from '../db/database.js'
import { ClientIdTakenError } from '../sync/authorship.js'
import type { CommittedRow } from '../sync/room.js'
import { storedLastSeq } from '../sync/stored-seq.js'
import { type BindingRow, insertLogRows, type LogRow } from '../sync/update-log.js'

/** How long a compaction lease lasts when its holder dies before releasing it. */
const LEASE_MS = 30_000

/**
 * SQLite appends of every ClusterLog in this process, one after another. Several nodes in one
 * process (the cluster tests) hold separate connections to one file: better-sqlite3 waits
 * for the write lock synchronously (busy_timeout), which would stall the very event loop the
 * holder needs to finish its transaction. Separate processes are unaffected.
 */
let sqliteAppends: Promise<unknown> = Promise.resolve()

/**
 * The update log as several nodes share it (a SQLite file in WAL mode, or Postgres): seqs
 * are given out inside the commit transaction, so two nodes never store one seq twice and a
 * document's seqs have no holes — a node that sees seq N knows every seq below N is stored.
 * Kysely on either dialect; async, rejects on a database error (like UpdateLog).
 */
export class ClusterLog {
  readonly #postgres: boolean

  constructor(
    private readonly db: Db,
    private readonly node: string,
    private readonly now: Clock,
  ) {
    this.#postgres = dialectOf(db) === 'postgres'
  }

  /**
   * Appends a group commit's rows (and the client-ID bindings they made), setting each
   * row's seq (see the class comment), in one transaction.
   */
  async append(rows: readonly LogRow[], bindings: readonly BindingRow[] = []): Promise<void> {
    await this.#serialized([...new Set(rows.map((r) => r.docName))], async (trx) => {
      const next = new Map<string, number>()
      for (const r of rows) {
        let seq = next.get(r.docName)
        if (seq === undefined) seq = (await storedLastSeq(trx, r.docName)) + 1
        r.seq = seq
        next.set(r.docName, seq + 1)
      }
      await insertLogRows(trx, rows, bindings)
      // Another node may have bound one of these ids to someone else first (the primary key
      // decides): this commit fails, and the socket that claimed it is refused.
      for (const b of bindings) {
        const owner = await trx
          .selectFrom('client_bindings')
          .select('user_id')
          .where('doc_name', '=', b.docName)
          .where('client_id', '=', b.clientId)
          .executeTakeFirst()
        if (owner && owner.user_id !== b.userId) throw new ClientIdTakenError(b.docName, b.clientId)
      }
    })
  }

  /**
   * Runs `work` in a transaction that no other node's append of these documents can
   * interleave with: SQLite takes the database's write lock first (BEGIN IMMEDIATE), so no
   * other node appends between the seq read and the insert; Postgres takes a transaction-
   * scoped advisory lock per document (sorted, so two nodes never wait on each other).
   */
  async #serialized(docNames: string[], work: (trx: Db) => Promise<void>): Promise<void> {
    if (this.#postgres) {
      await this.db.transaction().execute(async (trx) => {
        for (const doc of docNames.sort()) {
          await sql`SELECT pg_advisory_xact_lock(hashtext(${doc}))`.execute(trx)
        }
        await work(trx)
      })
      return
    }
    const run = sqliteAppends.then(() =>
      this.db.connection().execute(async (conn) => {
        await sql`BEGIN IMMEDIATE`.execute(conn)
        try {
          await work(conn)
          await sql`COMMIT`.execute(conn)
        } catch (err) {
          await sql`ROLLBACK`.execute(conn)
          throw err
        }
      }),
    )
    sqliteAppends = run.catch(() => {})
    await run
  }

  /** The highest seq stored for the document (log or snapshot); 0 for none. */
  lastSeq(docName: string): Promise<number> {
    return storedLastSeq(this.db, docName)
  }

  /** Stored rows with `after < seq <= upto`, in seq order. */
  async rowsAfter(
    docName: string,
    after: number,
    upto = Number.MAX_SAFE_INTEGER,
  ): Promise<CommittedRow[]> {
    const rows = await this.db
      .selectFrom('doc_updates')
      .select(['seq', 'update', 'user_id', 'created_at'])
      .where('doc_name', '=', docName)
      .where('seq', '>', after)
      .where('seq', '<=', upto)
      .orderBy('seq')
      .execute()
    return rows.map((r) => ({ seq: r.seq, update: r.update, userId: r.user_id, at: r.created_at }))
  }

  /**
   * Runs `write` under this document's compaction lease, unless another node holds it or
   * the stored snapshot is already at or past `uptoSeq` (writing ours would take it back).
   */
  async compaction(docName: string, uptoSeq: number, write: () => Promise<void>): Promise<void> {
    const t = this.now()
    // Taken when free, expired, or already ours.
    const taken = await this.db
      .insertInto('doc_leases')
      .values({ doc_name: docName, holder: this.node, expires_at: t + LEASE_MS })
      .onConflict((oc) =>
        oc
          .column('doc_name')
          .doUpdateSet({
            holder: (eb) => eb.ref('excluded.holder'),
            expires_at: (eb) => eb.ref('excluded.expires_at'),
          })
          .where((eb) =>
            eb.or([
              eb('doc_leases.expires_at', '<', t),
              eb('doc_leases.holder', '=', eb.ref('excluded.holder')),
            ]),
          ),
      )
      .executeTakeFirst()
    if (Number(taken.numInsertedOrUpdatedRows ?? 0) === 0) return
    try {
      const stored = await this.db
        .selectFrom('doc_snapshots')
        .select('upto_seq')
        .where('doc_name', '=', docName)
        .executeTakeFirst()
      if ((stored?.upto_seq ?? 0) >= uptoSeq) return
      await write()
    } finally {
      await this.db
        .deleteFrom('doc_leases')
        .where('doc_name', '=', docName)
        .where('holder', '=', this.node)
        .execute()
    }
  }
}
