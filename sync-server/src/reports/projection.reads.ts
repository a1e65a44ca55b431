import type { Db } from '../db/database.js'
import { createCommittedLog } from '../derivation/committed-log.js'
import type { StoredLog } from './projector.js'

/** Reads of a project's stored log for rebuilds and the search backfill, on either dialect. */
export interface ProjectionReads {
  projectExists(projectId: string): Promise<boolean>
  storedLog(projectId: string): Promise<StoredLog>
}

/** Whole-log reads are rare (rebuild, backfill): one query for the rows, no paging. */
const ALL_ROWS = Number.MAX_SAFE_INTEGER

/**
 * Through Kysely, so they run on SQLite and Postgres alike; the log itself is read as the
 * derivation engine reads it (derivation/committed-log.ts).
 */
export function createProjectionReads(db: Db): ProjectionReads {
  const log = createCommittedLog(db)
  return {
    projectExists: async (id) =>
      (await db.selectFrom('projects').select('id').where('id', '=', id).executeTakeFirst()) !==
      undefined,
    storedLog: async (id): Promise<StoredLog> => {
      const snap = await log.snapshot(id)
      const snapshotSeq = snap?.seq ?? 0
      return {
        snapshot: snap?.state ?? null,
        snapshotSeq,
        rows: await log.rowsAfter(id, snapshotSeq, ALL_ROWS),
      }
    },
  }
}
