/**
 * Operator commands on the database at TASKFLOW_DB (the same variable the server reads):
 *   pnpm taskflow backup <file>    online copy, safe while the server runs; then verifies it;
 *                                  attachment files (TASKFLOW_FILES) go to <file>.files/
 *   pnpm taskflow verify <file>    integrity, migrations, every document loads; prints a summary
 *   pnpm taskflow restore <file>   verifies, then replaces TASKFLOW_DB (server must be stopped)
 * Exits 1 with one line on stderr on any failure. See docs/operations.md, "Backups".
 */
import { resolve } from 'node:path'
import { backupDatabase } from '../backup/backup-database.js'
import { copyAttachmentFiles, filesBackupOf } from '../backup/backup-files.js'
import { restoreBackup } from '../backup/restore-backup.js'
import { formatSummary, verifyBackup } from '../backup/verify-backup.js'
import { parseConfig } from '../config.js'

const USAGE = 'usage: pnpm taskflow backup|verify|restore <file>'

async function main(): Promise<void> {
  const [command, arg] = process.argv.slice(2)
  if (!command || !arg) throw new Error(USAGE)
  const config = parseConfig(process.env)
  // These use SQLite's backup API on the TASKFLOW_DB file; a Postgres deployment is backed
  // up with PostgreSQL's own tools (docs/operations.md, "Backups on PostgreSQL").
  if (config.TASKFLOW_DATABASE_URL && command !== 'verify') {
    throw new Error(
      `${command} works on the SQLite file only; with TASKFLOW_DATABASE_URL set, back up with pg_dump (docs/operations.md, "Backups on PostgreSQL")`,
    )
  }
  // Like TASKFLOW_DB: relative to where the command was typed (pnpm passes INIT_CWD).
  const file = resolve(process.env.INIT_CWD ?? process.cwd(), arg)
  switch (command) {
    case 'backup': {
      await backupDatabase(config.TASKFLOW_DB, file)
      // After the database: an upload stores its file before its row, so every file the
      // copied database lists is on disk by now (unless collected meanwhile, after 30+ days).
      const files = copyAttachmentFiles(config.TASKFLOW_FILES, filesBackupOf(file))
      const summary = verifyBackup(file)
      process.stdout.write(
        `backed up ${config.TASKFLOW_DB} to ${file}: ${formatSummary(summary)}, ${files.files} attachment files (${files.bytes} bytes, ${files.copied} new) in ${filesBackupOf(file)}\n`,
      )
      return
    }
    case 'verify':
      process.stdout.write(`${file} is valid: ${formatSummary(verifyBackup(file))}\n`)
      return
    case 'restore': {
      const summary = restoreBackup(file, config.TASKFLOW_DB)
      const files = copyAttachmentFiles(filesBackupOf(file), config.TASKFLOW_FILES)
      process.stdout.write(
        `restored ${file} to ${config.TASKFLOW_DB}: ${formatSummary(summary)}, ${files.files} attachment files into ${config.TASKFLOW_FILES}\n`,
      )
      return
    }
    default:
      throw new Error(`unknown command ${command}; ${USAGE}`)
  }
}

main().catch((err) => {
  process.stderr.write(`taskflow: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
