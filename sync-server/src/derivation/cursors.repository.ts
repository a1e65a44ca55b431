import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/schema.js'

type Q = Kysely<Database> | Transaction<Database>

/** How far `consumer` has derived `docName`; null when it never has. */
export async function getCursor(db: Q, consumer: string, docName: string): Promise<number | null> {
  const row = await db
    .selectFrom('derivation_cursors')
    .select('seq')
    .where('consumer', '=', consumer)
    .where('doc_name', '=', docName)
    .executeTakeFirst()
  return row?.seq ?? null
}

export async function setCursor(
  db: Q,
  consumer: string,
  docName: string,
  seq: number,
): Promise<void> {
  await db
    .insertInto('derivation_cursors')
    .values({ consumer, doc_name: docName, seq })
    .onConflict((oc) => oc.columns(['consumer', 'doc_name']).doUpdateSet({ seq }))
    .execute()
}

/** Every cursor of `consumers` (start-up catch-up: which documents are behind). */
export async function allCursors(
  db: Q,
  consumers: readonly string[],
): Promise<{ consumer: string; doc_name: string; seq: number }[]> {
  if (consumers.length === 0) return []
  return db
    .selectFrom('derivation_cursors')
    .select(['consumer', 'doc_name', 'seq'])
    .where('consumer', 'in', consumers)
    .execute()
}

/** Drops every cursor of a document (it was deleted). */
export async function deleteCursors(db: Q, docName: string): Promise<void> {
  await db.deleteFrom('derivation_cursors').where('doc_name', '=', docName).execute()
}

/**
 * The seq up to which every consumer has read `docName`'s log: compaction may merge and drop
 * rows up to here, never past it (a consumer reads the rows it has not derived yet, by seq).
 * 0 for a project nothing derived yet; null for a document that is no project (no consumer
 * reads it).
 */
export async function derivationFloor(db: Q, docName: string): Promise<number | null> {
  const project = await db
    .selectFrom('projects')
    .select('id')
    .where('id', '=', docName)
    .executeTakeFirst()
  if (!project) return null
  const row = await db
    .selectFrom('derivation_cursors')
    .select((eb) => eb.fn.min('seq').as('seq'))
    .where('doc_name', '=', docName)
    .executeTakeFirst()
  return Number(row?.seq ?? 0)
}
