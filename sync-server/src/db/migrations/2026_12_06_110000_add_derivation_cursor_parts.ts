import type { Kysely } from 'kysely'

// Frozen in time: imports nothing from src/. Issue 17, first projection of a big board: a
// consumer's effects attributed one by one to the sequence that caused them (activity
// entries, notifications, webhook deliveries, status changes) may be written in parts of a
// few hundred, each part in its own short transaction, so one logged update holding 10,000
// tasks no longer holds the event loop for seconds. A part records how far it got inside
// the log: every such effect of a seq below part_seq and the first part_count of part_seq
// (in the engine's order) are written. part_seq is null when `seq` says it all (the last
// transaction of a batch moves `seq` and clears it).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('derivation_cursors').addColumn('part_seq', 'integer').execute()
  await db.schema
    .alterTable('derivation_cursors')
    .addColumn('part_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('derivation_cursors').dropColumn('part_count').execute()
  await db.schema.alterTable('derivation_cursors').dropColumn('part_seq').execute()
}
