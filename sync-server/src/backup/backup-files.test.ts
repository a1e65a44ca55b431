import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { copyAttachmentFiles } from './backup-files.js'

describe('attachment files in backups', () => {
  it('copies stored files (not uploads in progress), and only new ones the next time', () => {
    const root = mkdtempSync(join(tmpdir(), 'tf-files-'))
    const from = join(root, 'files')
    const to = join(root, 'backup.db.files')
    const put = (sha: string, text: string) => {
      mkdirSync(join(from, sha.slice(0, 2), sha.slice(2, 4)), { recursive: true })
      writeFileSync(join(from, sha.slice(0, 2), sha.slice(2, 4), sha), text)
    }
    const a = 'a'.repeat(64)
    const b = 'b'.repeat(64)
    put(a, 'first')
    mkdirSync(join(from, 'tmp'))
    writeFileSync(join(from, 'tmp', 'x.part'), 'half')
    expect(copyAttachmentFiles(from, to)).toEqual({ files: 1, bytes: 5, copied: 1 })
    put(b, 'second')
    // An image's thumbnail lives beside it and is backed up with it.
    put(`${b}.thumb.webp`, 'thumb')
    expect(copyAttachmentFiles(from, to)).toEqual({ files: 3, bytes: 16, copied: 2 })
    expect(readFileSync(join(to, 'bb', 'bb', b), 'utf8')).toBe('second')
    expect(readFileSync(join(to, 'bb', 'bb', `${b}.thumb.webp`), 'utf8')).toBe('thumb')
    expect(copyAttachmentFiles(join(root, 'missing'), to)).toEqual({
      files: 0,
      bytes: 0,
      copied: 0,
    })
  })
})
