import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../config.js'
import { openDatabase } from './database.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

/** SQLite's `synchronous` codes: 1 = NORMAL, 2 = FULL. */
function synchronousOf(durability?: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'taskflow-db-test-'))
  dirs.push(dir)
  const config = parseConfig({
    TASKFLOW_DB: join(dir, 'taskflow.db'),
    ...(durability ? { TASKFLOW_SYNC_DURABILITY: durability } : {}),
  })
  const { sqlite } = openDatabase(config.TASKFLOW_DB, config.TASKFLOW_SYNC_DURABILITY)
  try {
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    return sqlite.pragma('synchronous', { simple: true }) as number
  } finally {
    sqlite.close()
  }
}

describe('durability (SPEC 3.2)', () => {
  it('runs WAL with synchronous=NORMAL by default', () => {
    expect(synchronousOf()).toBe(1)
  })

  it('with TASKFLOW_SYNC_DURABILITY=full runs synchronous=FULL (fsync at every commit)', () => {
    expect(synchronousOf('full')).toBe(2)
  })

  it('refuses any other TASKFLOW_SYNC_DURABILITY', () => {
    expect(() => synchronousOf('extra')).toThrow(/TASKFLOW_SYNC_DURABILITY/)
  })
})
