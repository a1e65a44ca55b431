// The blob write of a compaction, on a worker thread with its own SQLite connection
// (sync/snapshot-writer.ts): a multi-MB snapshot write held the event loop for 0.2–3 s on a
// loaded disk (docs/benchmarks.md, issue 18). WAL lets this connection write while the main
// one reads; the main one's writers wait for it asynchronously (UpdateLog holds Kysely's
// connection meanwhile). Plain JavaScript so it runs as is from the sources and from dist/.
import { parentPort, workerData } from 'node:worker_threads'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'

const sqlite = new SQLite(workerData.file)
sqlite.pragma('journal_mode = WAL')
sqlite.pragma(workerData.durability === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL')
sqlite.pragma('busy_timeout = 5000')
const db = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) })

parentPort.on('message', async (job) => {
  try {
    if (job.op === 'checkpoint') {
      // As UpdateLog's checkpoint insert: a row already at this seq is kept.
      await db
        .insertInto('doc_checkpoints')
        .values(job.row)
        .onConflict((oc) => oc.columns(['doc_name', 'upto_seq']).doNothing())
        .execute()
      parentPort.postMessage({ id: job.id, ok: true })
      return
    }
    // As UpdateLog.compact's own statement: never back (a snapshot further on holds these rows).
    await db
      .insertInto('doc_snapshots')
      .values({
        doc_name: job.docName,
        upto_seq: job.uptoSeq,
        state: job.state,
        created_at: job.createdAt,
      })
      .onConflict((oc) =>
        oc
          .column('doc_name')
          .doUpdateSet({
            upto_seq: (eb) => eb.ref('excluded.upto_seq'),
            state: (eb) => eb.ref('excluded.state'),
            created_at: (eb) => eb.ref('excluded.created_at'),
          })
          .where((eb) => eb('doc_snapshots.upto_seq', '<', eb.ref('excluded.upto_seq'))),
      )
      .execute()
    parentPort.postMessage({ id: job.id, ok: true })
  } catch (err) {
    parentPort.postMessage({ id: job.id, ok: false, error: String(err?.stack ?? err) })
  }
})
