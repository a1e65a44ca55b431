import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. Board history (issue 18, storage ≤ 2 ×): the
// stored board reads of `history_board` compressed. kind 'full': body is one whole board as
// of `seq` (= first_seq); kind 'patches': body is the patches of the log rows first_seq..seq
// in one piece ({"seqs":[…],"patches":[…]}). Bodies are JSON compressed with brotli.
// `history_board` stays: rows written before this (read as they are) and the newest few
// patches of a document not packed yet. Rows of a document are dropped with its history index.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('history_board_packs')
    .addColumn('doc_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('first_seq', 'integer', (c) => c.notNull())
    .addColumn('body', 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('history_board_packs_pk', ['doc_name', 'kind', 'seq'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('history_board_packs').execute()
}
