import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fsyncPath } from './backup-database.js'

const HASH_DIR = /^[0-9a-f]{2}$/
// A file, or the thumbnail the server made of it (`<sha256>.thumb.webp`, attachments/thumbnails.ts).
const HASH = /^[0-9a-f]{64}(\.thumb\.webp)?$/

/** Attachment files of a backup: beside `<file>`, as `<file>.files/`. */
export const filesBackupOf = (file: string): string => `${file}.files`

/**
 * Copies the attachment files (TASKFLOW_FILES layout `<aa>/<bb>/<sha256>`, and image
 * thumbnails `<aa>/<bb>/<sha256>.thumb.webp`) from `from` into
 * `to`, skipping the ones `to` already holds with the same size: files are content-addressed
 * and never change, so a nightly backup into the same folder copies only new files. Each
 * copy is written beside its target, fsynced and renamed (never half a file); the temp
 * folder of uploads in progress is not copied. Returns what `to` now holds of `from`.
 */
export function copyAttachmentFiles(
  from: string,
  to: string,
): { files: number; bytes: number; copied: number } {
  let files = 0
  let bytes = 0
  let copied = 0
  if (!existsSync(from)) return { files, bytes, copied }
  for (const a of readdirSync(from)) {
    if (!HASH_DIR.test(a)) continue
    for (const b of readdirSync(join(from, a))) {
      if (!HASH_DIR.test(b)) continue
      for (const name of readdirSync(join(from, a, b))) {
        if (!HASH.test(name)) continue
        const src = join(from, a, b, name)
        const dest = join(to, a, b, name)
        const size = statSync(src).size
        files++
        bytes += size
        if (existsSync(dest) && statSync(dest).size === size) continue
        mkdirSync(join(to, a, b), { recursive: true })
        const partial = `${dest}.partial`
        copyFileSync(src, partial)
        fsyncPath(partial)
        renameSync(partial, dest)
        copied++
      }
    }
  }
  return { files, bytes, copied }
}
