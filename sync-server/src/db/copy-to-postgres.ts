import { type Kysely, sql } from 'kysely'
import * as Y from 'yjs'
import { UpdateLog } from '../sync/update-log.js'
import { type Db, dialectOf } from './database.js'
import { MIGRATION_NAMES, migrateToLatest } from './migrate.js'

/** Rows per INSERT while copying (well under Postgres's 65,535 bound parameters). */
const COPY_BATCH_ROWS = 500
/** The migrator's own bookkeeping: written by migrateToLatest on the target, never copied. */
const MIGRATOR_TABLES = new Set(['kysely_migration', 'kysely_migration_lock'])

export interface CopyReport {
  tables: { name: string; rows: number }[]
  /** Documents whose state was compared (snapshot + log, encoded from both databases). */
  documents: number
  /** SQLite tables with no Postgres counterpart (the FTS5 search index), not copied. */
  skipped: string[]
}

/** A refusal or a failed check, with a message for the operator. */
export class CopyError extends Error {}

/**
 * Copies a SQLite database into an empty Postgres one (issue 17): migrates the target to
 * the same schema, copies every table in foreign-key order (in one transaction), moves the
 * id sequences past the copied ids, then verifies — same row count per table, and every
 * document's Yjs state, loaded from each database the way the server loads it, encodes to
 * the same bytes. Refuses a target that holds any row, and a source that is not at the
 * server's latest migration (start the server on it once to upgrade it).
 */
export async function copySqliteToPostgres(
  source: Db,
  target: Db,
  progress: (line: string) => void = () => {},
): Promise<CopyReport> {
  if (dialectOf(source) !== 'sqlite') throw new CopyError('the source must be a SQLite database')
  if (dialectOf(target) !== 'postgres')
    throw new CopyError('the target must be a Postgres database')
  await checkSourceMigrated(source)
  await checkTargetEmpty(target)
  await migrateToLatest(target)

  const sourceTables = await sqliteTables(source)
  const targetColumns = await postgresColumns(target)
  const skipped = sourceTables.filter((t) => !targetColumns.has(t))
  const tables = await foreignKeyOrder(
    source,
    sourceTables.filter((t) => targetColumns.has(t)),
  )
  const report: CopyReport = { tables: [], documents: 0, skipped }
  await target.transaction().execute(async (trx) => {
    for (const table of tables) {
      const columns = (await sqliteColumns(source, table)).filter((c) =>
        targetColumns.get(table)!.has(c),
      )
      let copied = 0
      // Rowid order (rows referring to earlier rows of the same table come after them), in
      // pages keyed by rowid so a large log is read once; a table without rowid (its
      // primary key is the table) in pages keyed by that key.
      const key = await withoutRowidKey(source, table)
      const cols = sql.join(columns.map((c) => sql.ref(c)))
      for (let after: unknown[] | null = null; ; ) {
        const page = key
          ? (
              await sql<Record<string, unknown>>`SELECT ${cols} FROM ${sql.table(table)}
                ${after ? sql`WHERE (${sql.join(key.map((c) => sql.ref(c)))}) > (${sql.join(after)})` : sql``}
                ORDER BY ${sql.join(key.map((c) => sql.ref(c)))} LIMIT ${COPY_BATCH_ROWS}`.execute(
                source,
              )
            ).rows.map((row) => ({ _key: key.map((c) => row[c]), ...row }))
          : (
              await sql<Record<string, unknown>>`SELECT rowid AS _key, ${cols}
                FROM ${sql.table(table)} WHERE rowid > ${after?.[0] ?? -1}
                ORDER BY rowid LIMIT ${COPY_BATCH_ROWS}`.execute(source)
            ).rows.map(({ _key, ...row }) => ({ _key: [_key], ...row }))
        if (page.length === 0) break
        after = page[page.length - 1]!._key as unknown[]
        const rows = page.map(({ _key, ...row }) => row)
        // biome-ignore lint/suspicious/noExplicitAny: tables are copied by name
        await (trx as Kysely<any>).insertInto(table).values(rows).execute()
        copied += rows.length
      }
      report.tables.push({ name: table, rows: copied })
      progress(`copied ${table}: ${copied} rows`)
    }
    await advanceSequences(trx)
  })

  for (const { name, rows } of report.tables) {
    const n = await countRows(target, name)
    if (n !== rows) throw new CopyError(`verification failed: ${name} has ${n} rows, not ${rows}`)
  }
  report.documents = await compareDocuments(source, target, progress)
  return report
}

async function checkSourceMigrated(source: Db): Promise<void> {
  const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`
    .execute(source)
    .then((r) => r.rows.map((x) => x.name))
    .catch(() => [] as string[])
  const missing = MIGRATION_NAMES.filter((m) => !applied.includes(m))
  if (missing.length > 0) {
    throw new CopyError(
      `the SQLite database is not at the latest schema (missing ${missing[0]}): start this version of the server on it once, stop it, then copy`,
    )
  }
}

async function checkTargetEmpty(target: Db): Promise<void> {
  const tables = await sql<{ table_name: string }>`SELECT table_name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(target)
  for (const { table_name } of tables.rows) {
    if (MIGRATOR_TABLES.has(table_name)) continue
    if ((await countRows(target, table_name)) > 0) {
      throw new CopyError(
        `the Postgres database is not empty (table ${table_name} has rows): copy into a new, empty database`,
      )
    }
  }
}

async function countRows(db: Db, table: string): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(db)
  return Number(r.rows[0]!.n)
}

/** Tables of the SQLite file (FTS shadow tables included; the caller drops what PG lacks). */
async function sqliteTables(db: Db): Promise<string[]> {
  const r = await sql<{ name: string }>`SELECT name FROM sqlite_master
    WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(db)
  return r.rows.map((x) => x.name).filter((n) => !MIGRATOR_TABLES.has(n))
}

/** The primary-key columns of a WITHOUT ROWID table, in key order; null for a rowid table. */
async function withoutRowidKey(db: Db, table: string): Promise<string[] | null> {
  const list = await sql<{ wr: number }>`SELECT wr FROM pragma_table_list(${table})`.execute(db)
  if (!list.rows[0]?.wr) return null
  const r = await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})
    WHERE pk > 0 ORDER BY pk`.execute(db)
  return r.rows.map((x) => x.name)
}

async function sqliteColumns(db: Db, table: string): Promise<string[]> {
  const r = await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`.execute(db)
  return r.rows.map((x) => x.name)
}

async function postgresColumns(db: Db): Promise<Map<string, Set<string>>> {
  const r = await sql<{ table_name: string; column_name: string }>`
    SELECT table_name, column_name FROM information_schema.columns
    WHERE table_schema = current_schema()`.execute(db)
  const out = new Map<string, Set<string>>()
  for (const { table_name, column_name } of r.rows) {
    if (MIGRATOR_TABLES.has(table_name)) continue
    if (!out.has(table_name)) out.set(table_name, new Set())
    out.get(table_name)!.add(column_name)
  }
  return out
}

/** Parents before children, by the SQLite schema's foreign keys (self-references ignored). */
async function foreignKeyOrder(db: Db, tables: string[]): Promise<string[]> {
  const parents = new Map<string, Set<string>>()
  for (const t of tables) {
    const r = await sql<{
      table: string
    }>`SELECT "table" FROM pragma_foreign_key_list(${t})`.execute(db)
    parents.set(t, new Set(r.rows.map((x) => x.table).filter((p) => p !== t && tables.includes(p))))
  }
  const order: string[] = []
  const done = new Set<string>()
  const visit = (t: string, path: Set<string>) => {
    if (done.has(t)) return
    if (path.has(t)) throw new CopyError(`foreign keys form a cycle through ${t}`)
    path.add(t)
    for (const p of parents.get(t) ?? []) visit(p, path)
    path.delete(t)
    done.add(t)
    order.push(t)
  }
  for (const t of tables) visit(t, new Set())
  return order
}

/** bigserial ids were copied as given: their sequences continue after the largest one. */
async function advanceSequences(db: Db): Promise<void> {
  const r = await sql<{ table_name: string; column_name: string }>`
    SELECT table_name, column_name FROM information_schema.columns
    WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'`.execute(db)
  for (const { table_name, column_name } of r.rows) {
    await sql`SELECT setval(pg_get_serial_sequence(${table_name}, ${column_name}),
      coalesce((SELECT max(${sql.ref(column_name)}) FROM ${sql.table(table_name)}), 0) + 1, false)`.execute(
      db,
    )
  }
}

/** Every document (any name with a snapshot or log rows): same encoded state on both. */
async function compareDocuments(
  source: Db,
  target: Db,
  progress: (line: string) => void,
): Promise<number> {
  const names = await source
    .selectFrom('doc_snapshots')
    .select('doc_name')
    .union(source.selectFrom('doc_updates').select('doc_name'))
    .execute()
  const from = new UpdateLog(source, () => 0)
  const to = new UpdateLog(target, () => 0)
  for (const { doc_name } of names) {
    const a = stateOf(await from.load(doc_name))
    const b = stateOf(await to.load(doc_name))
    if (Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0) {
      throw new CopyError(`verification failed: document ${doc_name} differs after the copy`)
    }
  }
  progress(`verified ${names.length} documents`)
  return names.length
}

function stateOf(stored: Awaited<ReturnType<UpdateLog['load']>>): Uint8Array {
  const doc = new Y.Doc()
  try {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
    for (const u of stored.updates) Y.applyUpdate(doc, u.update)
    return Y.encodeStateAsUpdate(doc)
  } finally {
    doc.destroy()
  }
}
