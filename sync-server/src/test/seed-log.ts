import type { Db } from '../db/database.js'
import type { LogEntry } from '../derivation/committed-log.js'

/** A project row named `docName` (its board document), created at `at`. */
export async function seedProject(db: Db, docName: string, at: number): Promise<void> {
  await db
    .insertInto('projects')
    .values({
      id: docName,
      name: 'P',
      description: '',
      created_by: null,
      archived_at: null,
      created_at: at,
      updated_at: at,
    })
    .execute()
}

/** `rows` as committed update-log rows of `docName`, as the group commit stores them. */
export async function seedLogRows(
  db: Db,
  docName: string,
  rows: readonly LogEntry[],
): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('doc_updates')
    .values(
      rows.map((r) => ({
        doc_name: docName,
        seq: r.seq,
        update: r.update,
        user_id: r.userId,
        created_at: r.createdAt,
      })),
    )
    .execute()
}
