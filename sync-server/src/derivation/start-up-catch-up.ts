import type SQLite from 'better-sqlite3'
import type { Logger } from '../logger.js'

/**
 * Projects whose stored log is ahead of the reporting projection or of the activity log:
 * after a crash (kill -9 between a commit and the debounced derivation write) nothing else
 * derives them until someone opens their board.
 */
export function projectsBehind(sqlite: SQLite.Database, opts: { activity: boolean }): string[] {
  const projected = 'COALESCE((SELECT projected_seq FROM report_state WHERE project_id = p.id), -1)'
  const derived = 'COALESCE((SELECT derived_seq FROM activity_state WHERE project_id = p.id), -1)'
  const rows = sqlite
    .prepare<[], { id: string }>(
      `SELECT p.id FROM projects p
       WHERE MAX(
               COALESCE((SELECT MAX(seq) FROM doc_updates WHERE doc_name = p.id), 0),
               COALESCE((SELECT upto_seq FROM doc_snapshots WHERE doc_name = p.id), 0)
             ) > ${opts.activity ? `MIN(${projected}, ${derived})` : projected}
       ORDER BY p.id`,
    )
    .all()
  return rows.map((r) => r.id)
}

/**
 * Catches up every project that is behind, one per event-loop turn so sockets and requests
 * are served in between (SPEC 3.5). `catchUp` must skip documents a room holds (the room's
 * own load replays them). Resolves when done or stopped; never rejects.
 */
export function startCatchUp(
  ids: readonly string[],
  catchUp: (docName: string) => void,
  logger: Logger,
): { done: Promise<void>; stop: () => void } {
  let stopped = false
  const done = (async () => {
    for (const id of ids) {
      await new Promise((resolve) => setImmediate(resolve))
      if (stopped) return
      catchUp(id)
    }
    if (ids.length > 0) logger.info('derivations caught up at start-up', { projects: ids.length })
  })().catch((err: unknown) => logger.error('start-up catch-up failed', { err: String(err) }))
  return {
    done,
    stop: () => {
      stopped = true
    },
  }
}
