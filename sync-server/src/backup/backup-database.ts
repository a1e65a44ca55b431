import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import SQLite from 'better-sqlite3'

/**
 * Copies the live database at `source` to `dest` with SQLite's online backup API: a
 * consistent snapshot even while a server keeps writing (WAL readers do not block writers).
 * The copy is written beside `dest`, fsynced and renamed, so `dest` is either the previous
 * file or the complete new backup, never half of one. The result is a single file
 * (journal_mode=DELETE): no -wal to forget when it is copied elsewhere.
 */
export async function backupDatabase(source: string, dest: string): Promise<void> {
  if (!existsSync(source)) throw new Error(`no database at ${source}`)
  const partial = `${dest}.partial`
  rmSync(partial, { force: true })
  const sqlite = new SQLite(source, { fileMustExist: true, timeout: 5000 })
  try {
    // Every remaining page in one step: one read transaction, so writes by
    // the server cannot restart the copy over and over on a busy database.
    await sqlite.backup(partial, { progress: () => 0x7fffffff })
  } finally {
    sqlite.close()
  }
  const copy = new SQLite(partial, { fileMustExist: true })
  try {
    copy.pragma('journal_mode = DELETE')
  } finally {
    copy.close()
  }
  fsyncPath(partial)
  renameSync(partial, dest)
  fsyncPath(dirname(dest))
}

/** fsync a file or directory by path (a rename is durable once its directory is synced). */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
