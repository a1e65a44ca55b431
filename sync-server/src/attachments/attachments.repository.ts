import type { Selectable } from 'kysely'
import type { Db } from '../db/database.js'
import type { ProjectAttachmentsTable } from '../db/schema.js'

export type ProjectAttachmentRow = Selectable<ProjectAttachmentsTable> & {
  image_type: string | null
}

/** A file a project may serve, with its blob's sniffed image type; undefined when not uploaded there. */
export async function findProjectAttachment(
  db: Db,
  projectId: string,
  sha256: string,
): Promise<ProjectAttachmentRow | undefined> {
  return db
    .selectFrom('project_attachments as pa')
    .innerJoin('attachment_blobs as b', 'b.sha256', 'pa.sha256')
    .selectAll('pa')
    .select('b.image_type')
    .where('pa.project_id', '=', projectId)
    .where('pa.sha256', '=', sha256)
    .executeTakeFirst()
}

/** Bytes the project's files take (each file once, however often it is attached). */
export async function projectUsage(db: Db, projectId: string): Promise<number> {
  const row = await db
    .selectFrom('project_attachments')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), eb.lit(0)).as('bytes'))
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow()
  return Number(row.bytes)
}

/** Records a stored file and that `projectId` may serve it; a second call changes nothing. */
export async function recordUpload(
  db: Db,
  row: {
    projectId: string
    sha256: string
    name: string
    type: string
    size: number
    imageType: string | null
    userId: string
    at: number
  },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('attachment_blobs')
      .values({ sha256: row.sha256, size: row.size, image_type: row.imageType, created_at: row.at })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute()
    await trx
      .insertInto('project_attachments')
      .values({
        project_id: row.projectId,
        sha256: row.sha256,
        name: row.name,
        type: row.type,
        size: row.size,
        uploaded_by: row.userId,
        uploaded_at: row.at,
        // Unreferenced until the collector sees a document refer to it.
        unreferenced_since: row.at,
      })
      .onConflict((oc) => oc.columns(['project_id', 'sha256']).doNothing())
      .execute()
  })
}
