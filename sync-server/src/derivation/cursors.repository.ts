import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/schema.js'

type Q = Kysely<Database> | Transaction<Database>

/** How far `consumer` has derived `docName` (whole seqs); null when it never has. */
export async function getCursor(db: Q, consumer: string, docName: string): Promise<number | null> {
  return (await getPosition(db, consumer, docName))?.seq ?? null
}

/**
 * Where `consumer` stands in `docName`'s log: `seq` as getCursor (null: no whole seq yet),
 * and where its per-seq effects written in parts got to past it (`part` null: none).
 * Null when it never wrote anything.
 */
export interface CursorPosition {
  seq: number | null
  part: { seq: number; count: number } | null
}

export async function getPosition(
  db: Q,
  consumer: string,
  docName: string,
): Promise<CursorPosition | null> {
  const row = await db
    .selectFrom('derivation_cursors')
    .select(['seq', 'part_seq', 'part_count'])
    .where('consumer', '=', consumer)
    .where('doc_name', '=', docName)
    .executeTakeFirst()
  if (!row) return null
  return {
    seq: row.seq < 0 ? null : Number(row.seq),
    part:
      row.part_seq === null ? null : { seq: Number(row.part_seq), count: Number(row.part_count) },
  }
}

/** Moves the cursor to the whole of `seq` (what was written in parts is part of it). */
export async function setCursor(
  db: Q,
  consumer: string,
  docName: string,
  seq: number,
): Promise<void> {
  await db
    .insertInto('derivation_cursors')
    .values({ consumer, doc_name: docName, seq, part_seq: null, part_count: 0 })
    .onConflict((oc) =>
      oc.columns(['consumer', 'doc_name']).doUpdateSet({ seq, part_seq: null, part_count: 0 }),
    )
    .execute()
}

/**
 * Records that the per-seq effects up to the `count`th of `partSeq` are written, leaving the
 * cursor's whole seq where it is (-1 when it has none yet).
 */
export async function setPart(
  db: Q,
  consumer: string,
  docName: string,
  partSeq: number,
  count: number,
): Promise<void> {
  await db
    .insertInto('derivation_cursors')
    .values({ consumer, doc_name: docName, seq: -1, part_seq: partSeq, part_count: count })
    .onConflict((oc) =>
      oc.columns(['consumer', 'doc_name']).doUpdateSet({ part_seq: partSeq, part_count: count }),
    )
    .execute()
}

/** Every cursor of `consumers` (start-up catch-up: which documents are behind). */
export async function allCursors(
  db: Q,
  consumers: readonly string[],
): Promise<{ consumer: string; doc_name: string; seq: number }[]> {
  if (consumers.length === 0) return []
  const rows = await db
    .selectFrom('derivation_cursors')
    .select(['consumer', 'doc_name', 'seq'])
    .where('consumer', 'in', consumers)
    .execute()
  // A cursor with parts only (seq -1) has derived no whole seq: as if it had none.
  return rows.filter((r) => r.seq >= 0)
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
  // -1: a consumer that wrote parts only; nothing may be merged yet.
  return Math.max(0, Number(row?.seq ?? 0))
}
