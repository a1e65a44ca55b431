import { statSync } from 'node:fs'
import { getBoardView } from '@taskflow/board'
import SQLite from 'better-sqlite3'
import * as Y from 'yjs'
import { MIGRATION_NAMES } from '../db/migrate.js'
import type { StoredLog } from '../reports/projector.js'
import { joinedStateSync, type StoredState } from '../sync/state-parts.js'

export interface BackupSummary {
  projects: number
  documents: number
  /** Rows in the update log (after the snapshots). */
  updates: number
  /** Size of the database file. */
  fileBytes: number
  /** Stored Yjs data: snapshots plus logged updates. */
  docBytes: number
  /** Applied migrations (a prefix of the server's list; shorter = the server migrates it at start). */
  migrations: number
}

/** A backup that must not be restored; the message names what is wrong. */
export class BackupInvalidError extends Error {}

/**
 * Checks that `file` is a database this server can run on: SQLite's integrity check, known
 * migrations, and every document loads (snapshot + log, as the server loads a room) into a
 * Y.Doc whose board view can be read. Opens the file read-only; throws BackupInvalidError.
 */
export function verifyBackup(file: string): BackupSummary {
  let sqlite: SQLite.Database
  try {
    sqlite = new SQLite(file, { readonly: true, fileMustExist: true })
  } catch (err) {
    throw new BackupInvalidError(`cannot open ${file}: ${String(err)}`)
  }
  try {
    return check(sqlite, file)
  } catch (err) {
    if (err instanceof BackupInvalidError) throw err
    // SQLITE_CORRUPT / SQLITE_NOTADB and the like surface on the first read.
    throw new BackupInvalidError(`${file} is not a readable TaskFlow database: ${String(err)}`)
  } finally {
    sqlite.close()
  }
}

function check(sqlite: SQLite.Database, file: string): BackupSummary {
  const problems = sqlite.pragma('integrity_check', { simple: false }) as {
    integrity_check: string
  }[]
  if (problems.length !== 1 || problems[0]!.integrity_check !== 'ok') {
    const lines = problems.slice(0, 5).map((p) => p.integrity_check)
    throw new BackupInvalidError(`integrity check failed: ${lines.join('; ')}`)
  }

  const hasMigrations = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'")
    .get()
  if (!hasMigrations)
    throw new BackupInvalidError('no kysely_migration table: not a TaskFlow database')
  const applied = sqlite
    .prepare<[], { name: string }>('SELECT name FROM kysely_migration ORDER BY name')
    .all()
    .map((r) => r.name)
  applied.forEach((name, i) => {
    if (MIGRATION_NAMES[i] !== name) {
      throw new BackupInvalidError(
        `migration ${name} is unknown to this server (written by a newer or different version?)`,
      )
    }
  })

  const storedLog = storedLogReader(sqlite)
  const projectIds = new Set(
    sqlite
      .prepare<[], { id: string }>('SELECT id FROM projects')
      .all()
      .map((r) => r.id),
  )
  const docNames = sqlite
    .prepare<[], { doc_name: string }>(
      'SELECT doc_name FROM doc_snapshots UNION SELECT doc_name FROM doc_updates ORDER BY 1',
    )
    .all()
    .map((r) => r.doc_name)
  for (const name of docNames) loadDocument(name, storedLog(name), projectIds.has(name))
  // Board history (issue 18): every checkpoint a `?at=` may start from must load too. An
  // older backup has no such table (the server creates it when it migrates).
  const hasCheckpoints =
    sqlite
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'doc_checkpoints'")
      .get() !== undefined
  let checkpointBytes = 0
  if (hasCheckpoints) {
    // A backup from before diff checkpoints has no kind column: every row is full.
    const hasKind = sqlite
      .prepare<[], { name: string }>("SELECT name FROM pragma_table_info('doc_checkpoints')")
      .all()
      .some((c) => c.name === 'kind')
    // Keys first, each state read on its own: a backup's checkpoints can outweigh memory,
    // and better-sqlite3 runs no other statement while an iterator is open.
    const rows = sqlite
      .prepare<[], { doc_name: string; upto_seq: number; kind: string }>(
        `SELECT doc_name, upto_seq, ${hasKind ? 'kind' : "'full' AS kind"} FROM doc_checkpoints ORDER BY doc_name, upto_seq`,
      )
      .all()
    const stateOf = sqlite.prepare<[string, number], StoredState>(
      `SELECT state, ${partsColumns(sqlite, 'doc_checkpoints')} FROM doc_checkpoints WHERE doc_name = ? AND upto_seq = ?`,
    )
    // A diff loads on top of the checkpoints before it: one document per chain, applied in order.
    let chain: { name: string; doc: Y.Doc } | null = null
    try {
      for (const row of rows) {
        const r = {
          ...row,
          state: joinedStateSync(sqlite, stateOf.get(row.doc_name, row.upto_seq)!),
        }
        checkpointBytes += r.state.length
        if (r.kind === 'full' || chain?.name !== r.doc_name) {
          chain?.doc.destroy()
          chain = null
          if (r.kind !== 'full') {
            throw new BackupInvalidError(
              `document ${r.doc_name}: checkpoint ${r.upto_seq} is a diff with no full checkpoint before it`,
            )
          }
          chain = { name: r.doc_name, doc: new Y.Doc() }
        }
        try {
          Y.applyUpdate(chain.doc, r.state)
        } catch (err) {
          throw new BackupInvalidError(
            `document ${r.doc_name}: checkpoint ${r.upto_seq} does not load: ${String(err)}`,
          )
        }
      }
    } finally {
      chain?.doc.destroy()
    }
  }

  const totals = sqlite
    .prepare<[], { updates: number; bytes: number | null }>(
      `SELECT (SELECT count(*) FROM doc_updates) AS updates,
              (SELECT coalesce(sum(length("update")), 0) FROM doc_updates)
            + (SELECT coalesce(sum(length(state)), 0) FROM doc_snapshots)${
              hasTable(sqlite, 'doc_state_parts')
                ? `
            + (SELECT coalesce(sum(length(data)), 0) FROM doc_state_parts
                WHERE blob_id IN (SELECT parts_id FROM doc_snapshots))`
                : ''
            } AS bytes`,
    )
    .get()!
  return {
    projects: projectIds.size,
    documents: docNames.length,
    updates: totals.updates,
    fileBytes: statSync(file).size,
    docBytes: (totals.bytes ?? 0) + checkpointBytes,
    migrations: applied.length,
  }
}

/**
 * A document's snapshot and log, read synchronously from the backup file (a backup is always
 * a SQLite file; the server's own reads are Kysely's, reports/projection.reads.ts).
 */
function storedLogReader(sqlite: SQLite.Database): (docName: string) => StoredLog {
  const snapshot = sqlite.prepare<[string], { upto_seq: number } & StoredState>(
    `SELECT upto_seq, state, ${partsColumns(sqlite, 'doc_snapshots')} FROM doc_snapshots WHERE doc_name = ?`,
  )
  const log = sqlite.prepare<
    [string, number],
    { seq: number; update: Buffer; user_id: string | null; created_at: number }
  >(
    'SELECT seq, "update", user_id, created_at FROM doc_updates WHERE doc_name = ? AND seq > ? ORDER BY seq',
  )
  return (docName) => {
    const snap = snapshot.get(docName)
    const snapshotSeq = snap?.upto_seq ?? 0
    return {
      snapshot: snap ? new Uint8Array(joinedStateSync(sqlite, snap)) : null,
      snapshotSeq,
      rows: log.all(docName, snapshotSeq).map((r) => ({
        seq: r.seq,
        update: new Uint8Array(r.update),
        userId: r.user_id,
        createdAt: r.created_at,
      })),
    }
  }
}

function hasTable(sqlite: SQLite.Database, name: string): boolean {
  return (
    sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
    undefined
  )
}

/** A large state's parts (sync/state-parts.ts); a backup from before them has none. */
function partsColumns(sqlite: SQLite.Database, table: string): string {
  const has = sqlite
    .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
    .all(table)
    .some((c) => c.name === 'parts_id')
  return has ? 'parts_id, parts' : 'NULL AS parts_id, NULL AS parts'
}

/** Loads one document the way a room does; a project's document must also give a board view. */
function loadDocument(name: string, stored: StoredLog, isProject: boolean): void {
  const doc = new Y.Doc()
  let at = 'snapshot'
  try {
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot)
    for (const r of stored.rows) {
      at = `update seq ${r.seq}`
      Y.applyUpdate(doc, r.update)
    }
    at = 'board view'
    if (isProject) getBoardView(doc)
  } catch (err) {
    throw new BackupInvalidError(`document ${name}: ${at} does not load: ${String(err)}`)
  } finally {
    doc.destroy()
  }
}

export function formatSummary(s: BackupSummary): string {
  return (
    `${s.projects} projects, ${s.documents} documents, ${s.updates} logged updates, ` +
    `${s.docBytes} bytes of document data, ${s.fileBytes} bytes on disk, ${s.migrations} migrations`
  )
}
