import type SQLite from 'better-sqlite3'
import type { ProjectedTask } from './projection.repository.js'
import type { StoredLog } from './projector.js'

/** Synchronous reads of a project's projection and stored log (backups, rebuilds, backfill). */
export interface ProjectionReads {
  projectExists(projectId: string): boolean
  projectedSeq(projectId: string): number | null
  projectedTasks(projectId: string): ProjectedTask[]
  storedLog(projectId: string): StoredLog
}

/**
 * The projector's reads as prepared better-sqlite3 statements: they run synchronously
 * while a room loads, so no client update can slip in before tracking starts.
 */
export function createProjectionReads(sqlite: SQLite.Database): ProjectionReads {
  const project = sqlite.prepare<[string], { id: string }>('SELECT id FROM projects WHERE id = ?')
  const state = sqlite.prepare<[string], { projected_seq: number }>(
    "SELECT seq AS projected_seq FROM derivation_cursors WHERE consumer = 'projection' AND doc_name = ?",
  )
  const tasks = sqlite.prepare<
    [string],
    { task_id: string; column_id: string; category: string; deleted_at: number | null }
  >('SELECT task_id, column_id, category, deleted_at FROM report_tasks WHERE project_id = ?')
  const snapshot = sqlite.prepare<[string], { upto_seq: number; state: Buffer }>(
    'SELECT upto_seq, state FROM doc_snapshots WHERE doc_name = ?',
  )
  const log = sqlite.prepare<
    [string, number],
    { seq: number; update: Buffer; user_id: string | null; created_at: number }
  >(
    'SELECT seq, "update", user_id, created_at FROM doc_updates WHERE doc_name = ? AND seq > ? ORDER BY seq',
  )
  return {
    projectExists: (id) => project.get(id) !== undefined,
    projectedSeq: (id) => state.get(id)?.projected_seq ?? null,
    projectedTasks: (id): ProjectedTask[] =>
      tasks.all(id).map((r) => ({
        taskId: r.task_id,
        columnId: r.column_id,
        category: r.category,
        deleted: r.deleted_at !== null,
      })),
    storedLog: (id): StoredLog => {
      const snap = snapshot.get(id)
      const snapshotSeq = snap?.upto_seq ?? 0
      return {
        snapshot: snap ? new Uint8Array(snap.state) : null,
        snapshotSeq,
        rows: log.all(id, snapshotSeq).map((r) => ({
          seq: r.seq,
          update: new Uint8Array(r.update),
          userId: r.user_id,
          createdAt: r.created_at,
        })),
      }
    },
  }
}
