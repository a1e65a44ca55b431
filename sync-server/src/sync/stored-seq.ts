import type { Db } from '../db/database.js'

/**
 * The highest seq stored for a document, in the log or folded into its snapshot (compaction
 * may have deleted the rows up to it); 0 for none. Pass a transaction to read inside it.
 */
export async function storedLastSeq(db: Db, docName: string): Promise<number> {
  const logged = await db
    .selectFrom('doc_updates')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('doc_name', '=', docName)
    .executeTakeFirst()
  const snap = await db
    .selectFrom('doc_snapshots')
    .select('upto_seq')
    .where('doc_name', '=', docName)
    .executeTakeFirst()
  return Math.max(Number(logged?.seq ?? 0), snap?.upto_seq ?? 0)
}
