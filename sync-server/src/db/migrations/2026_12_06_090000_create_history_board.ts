import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. Board history (issue 18, `?at=` < 1 s): the
// board read (`GET /board`, without members) derived from the update log next to the task
// history index, so a past board is read from plain data instead of rebuilt in a Y.Doc.
// kind 'full': body is the whole board as of `seq` (JSON); kind 'patch': body is what log
// row `seq` changed in it (JSON). Rows of a document are dropped with its history index.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('history_board')
    .addColumn('doc_name', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('history_board_pk', ['doc_name', 'kind', 'seq'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('history_board').execute()
}
