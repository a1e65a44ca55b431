import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. Board history (issue 18 perf): the sizes the
// checkpoint policy weighs, kept as running totals on each checkpoint so compaction's write
// transaction no longer scans the log since the last full checkpoint (176–193 ms on a
// 2,000-task board, on the relay path). On a diff checkpoint: log_bytes_since_full = bytes
// of the update rows after the newest full checkpoint up to this one, chain_bytes = bytes of
// the diff checkpoints after that full one up to and including this one; 0 on a full one;
// null on rows written before this migration (compaction measures those as before).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('doc_checkpoints')
    .addColumn('log_bytes_since_full', 'integer')
    .execute()
  await db.schema.alterTable('doc_checkpoints').addColumn('chain_bytes', 'integer').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('doc_checkpoints').dropColumn('chain_bytes').execute()
  await db.schema.alterTable('doc_checkpoints').dropColumn('log_bytes_since_full').execute()
}
