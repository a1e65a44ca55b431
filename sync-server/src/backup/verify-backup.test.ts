import { join } from 'node:path'
import { createTask, getBoardView } from '@taskflow/board'
import SQLite from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openDatabase } from '../db/database.js'
import { UpdateLog } from '../sync/update-log.js'
import { client, collabWorld, relayed } from '../test/collab.js'
import { backupDatabase } from './backup-database.js'
import { BackupInvalidError, verifyBackup } from './verify-backup.js'

async function projectBackup() {
  const { server, projectId, ann, bob } = await collabWorld()
  const a = await client(server, projectId, ann)
  const b = await client(server, projectId, bob)
  const todo = getBoardView(a.doc).columns[0]!.id
  for (let i = 0; i < 5; i++) createTask(a.doc, { columnId: todo, title: `task ${i}` })
  await relayed(a.doc, b.doc)
  const file = join(server.dir, 'backup.db')
  await backupDatabase(server.dbFile, file)
  return { file, projectId }
}

describe('verifyBackup', () => {
  it('counts the projects and documents of a backup taken from a running server', async () => {
    const { file } = await projectBackup()
    const summary = verifyBackup(file)
    expect(summary).toMatchObject({ projects: 1, documents: 1 })
    expect(summary.updates).toBeGreaterThanOrEqual(6)
    expect(summary.docBytes).toBeGreaterThan(0)
  })

  it('refuses a backup with a migration this server does not know', async () => {
    const { file } = await projectBackup()
    const sqlite = new SQLite(file)
    sqlite
      .prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)')
      .run('2099_01_01_000000_from_the_future', '2099-01-01T00:00:00.000Z')
    sqlite.close()
    expect(() => verifyBackup(file)).toThrow(BackupInvalidError)
    expect(() => verifyBackup(file)).toThrow(/2099_01_01_000000_from_the_future is unknown/)
  })
})

describe('verifyBackup and board history', () => {
  it('refuses a backup with a history checkpoint that does not load', async () => {
    const { file, projectId } = await projectBackup()
    const sqlite = new SQLite(file)
    sqlite
      .prepare(
        'INSERT INTO doc_checkpoints (doc_name, upto_seq, upto_at, state, created_at) VALUES (?, 1, 0, ?, 0)',
      )
      .run(projectId, Buffer.from([0xff, 0xff, 0xff, 0x01, 0x07]))
    sqlite.close()
    expect(() => verifyBackup(file)).toThrow(/checkpoint 1 does not load/)
  })
  it('refuses a diff checkpoint whose chain has no full state (thinning must never leave one)', async () => {
    const { file, projectId } = await projectBackup()
    const doc = new Y.Doc()
    doc.getMap('m').set('k', 1)
    const sqlite = new SQLite(file)
    sqlite
      .prepare(
        "INSERT INTO doc_checkpoints (doc_name, upto_seq, upto_at, state, created_at, kind) VALUES (?, 1, 0, ?, 0, 'diff')",
      )
      .run(projectId, Y.encodeStateAsUpdate(doc))
    sqlite.close()
    expect(() => verifyBackup(file)).toThrow(
      /checkpoint 1 is a diff with no full checkpoint before it/,
    )
  })

  it('loads a snapshot and checkpoint stored in parts, and refuses a state with a part missing', async () => {
    const { file } = await projectBackup()
    // A state over 256 KiB: compaction stores it in parts (sync/state-parts.ts).
    const doc = new Y.Doc()
    doc
      .getText('t')
      .insert(0, 'x'.repeat(100_000) + Array.from({ length: 40_000 }, (_, i) => i).join(''))
    const state = Y.encodeStateAsUpdate(doc)
    const { db } = openDatabase(file)
    const log = new UpdateLog(db, () => 5_000, {}, { days: 90, checkpointUpdates: 1_000 })
    await log.append([{ docName: 'big', seq: 1, update: state, userId: null, createdAt: 1_000 }])
    await log.compact('big', state, 1)
    await log.stop()
    await db.destroy()
    const summary = verifyBackup(file)
    expect(summary.documents).toBe(2)
    // The snapshot counted whole (its row's own state is empty), once.
    expect(summary.docBytes).toBeGreaterThan(2 * state.length)

    const sqlite = new SQLite(file)
    expect(sqlite.prepare('DELETE FROM doc_state_parts WHERE part = 1').run().changes).toBe(1)
    sqlite.close()
    expect(() => verifyBackup(file)).toThrow(/1 of 2 parts stored/)
  })
})
