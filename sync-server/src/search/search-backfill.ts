import { allTaskSearchTexts } from '@taskflow/board'
import * as Y from 'yjs'
import type { Db } from '../db/database.js'
import type { Logger } from '../logger.js'
import type { ProjectionReads } from '../reports/projection.reads.js'
import { replaceSearchDocs } from './search.repository.js'

/**
 * Indexes the projects listed in `search_backfill` (those that existed before the search
 * index, see its migration) from their stored documents, one transaction per project that
 * also removes it from the list. Run at start-up before rooms and the projector start, so
 * no projection write can race it; after that the projection keeps the index up to date.
 */
export async function backfillSearchIndex(
  db: Db,
  reads: Pick<ProjectionReads, 'storedLog'>,
  logger: Logger,
): Promise<number> {
  const pending = await db.selectFrom('search_backfill').select('project_id').execute()
  for (const { project_id: projectId } of pending) {
    const stored = await reads.storedLog(projectId)
    const doc = new Y.Doc()
    try {
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
      for (const r of stored.rows) Y.applyUpdate(doc, r.update)
      const rows = allTaskSearchTexts(doc)
      await db.transaction().execute(async (trx) => {
        await replaceSearchDocs(trx, projectId, rows)
        await trx.deleteFrom('search_backfill').where('project_id', '=', projectId).execute()
      })
    } finally {
      doc.destroy()
    }
  }
  if (pending.length > 0) logger.info('search index built', { projects: pending.length })
  return pending.length
}
