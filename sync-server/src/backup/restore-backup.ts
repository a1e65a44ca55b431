import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'
import { fsyncPath } from './backup-database.js'
import { type BackupSummary, verifyBackup } from './verify-backup.js'

/** Another process (a running server) has the database open. */
export class DatabaseInUseError extends Error {}

/**
 * Replaces the database at `target` with the backup `file`, atomically: refuses while a
 * server has `target` open, verifies the backup, copies it beside `target`, fsyncs, renames
 * it over `target` and removes the old database's -wal/-shm (they belong to the replaced
 * file; left beside the new one SQLite would replay them into it).
 */
export function restoreBackup(file: string, target: string): BackupSummary {
  const lock = existsSync(target) ? lockExclusively(target) : null
  try {
    const summary = verifyBackup(file)
    mkdirSync(dirname(target), { recursive: true })
    const partial = `${target}.restoring`
    rmSync(partial, { force: true })
    copyFileSync(file, partial)
    rmSync(`${partial}-journal`, { force: true })
    fsyncPath(partial)
    // Closing folds the old WAL into the old file and deletes it; done before the rename so
    // that close cannot touch the new file's companions.
    lock?.close()
    renameSync(partial, target)
    rmSync(`${target}-wal`, { force: true })
    rmSync(`${target}-shm`, { force: true })
    fsyncPath(dirname(target))
    return summary
  } finally {
    if (lock?.open) lock.close()
  }
}

/**
 * Takes SQLite's exclusive lock on `target`. A server holds its WAL database open with a
 * shared lock for as long as it runs (idle or not), so this fails with SQLITE_BUSY while
 * one does; `timeout: 0` makes that immediate. A server killed with -9 holds no lock.
 */
function lockExclusively(target: string): SQLite.Database {
  const sqlite = new SQLite(target, { fileMustExist: true, timeout: 0 })
  try {
    sqlite.pragma('locking_mode = EXCLUSIVE')
    sqlite.exec('BEGIN EXCLUSIVE; COMMIT')
    return sqlite
  } catch (err) {
    sqlite.close()
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new DatabaseInUseError(
        `${target} is in use (is a TaskFlow server running on it?): stop the server, then restore`,
      )
    }
    throw err
  }
}
