import type { DerivationConsumer, StateChunk } from '../derivation/consumer.js'
import { writeSearchDocs } from '../search/search.repository.js'
import { insertStatusChanges, type StatusChange, upsertTasks } from './projection.repository.js'
import { PROJECTION_CONSUMER, writeProjectionWork } from './projector.js'

/**
 * Task rows (or search texts) per transaction when a batch is split (a first projection):
 * ~2–5 ms each on a quiet machine, so the engine runs a few back to back within its slice and
 * one chunk stays short on a loaded one (200 took 30–60 ms there).
 */
const CHUNK_ROWS = 50

/**
 * The reporting projection (ARCHITECTURE rule 4) and the search index: task rows, columns,
 * fields, relations and search text as of the batch's last seq, and each status change
 * attributed to the update that made it (the engine's parts).
 */
export function projectionConsumer(): DerivationConsumer {
  return {
    name: PROJECTION_CONSUMER,
    async write(trx, batch) {
      if (!batch.projection) return false
      await writeProjectionWork(trx, batch.docName, batch.projection)
      return true
    },
    // Status changes are events (one per move, attributed to its update): written once each.
    parts: {
      of: (batch) => batch.projection?.changes ?? [],
      async write(trx, docName, changes: readonly StatusChange[]) {
        await insertStatusChanges(trx, docName, changes)
        return changes.length > 0
      },
    },
    split(batch) {
      const work = batch.projection
      if (!work || (work.rows.length <= CHUNK_ROWS && work.search.length <= CHUNK_ROWS))
        return { chunks: [], rest: batch }
      const chunks: StateChunk[] = []
      for (let i = 0; i < work.rows.length; i += CHUNK_ROWS) {
        const rows = work.rows.slice(i, i + CHUNK_ROWS)
        chunks.push((trx) => upsertTasks(trx, batch.docName, rows))
      }
      for (let i = 0; i < work.search.length; i += CHUNK_ROWS) {
        const search = work.search.slice(i, i + CHUNK_ROWS)
        chunks.push((trx) => writeSearchDocs(trx, batch.docName, search, []))
      }
      // Deletions, columns, fields, relations and status changes go with the cursor.
      return { chunks, rest: { ...batch, projection: { ...work, rows: [], search: [] } } }
    },
  }
}
