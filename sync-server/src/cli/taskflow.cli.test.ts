import { type ChildProcess, execFile } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createTask, getBoardView, initBoard } from '@taskflow/board'
import SQLite from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import {
  connectProvider,
  startSyncServer,
  tempDir,
  waitFor,
  waitSynced,
} from '../sync/sync-test-utils.js'
import { spawnServer } from '../test/spawn-server.js'

const SERVER_ROOT = fileURLToPath(new URL('../..', import.meta.url))

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
}

/** `pnpm taskflow <command> <file>` with TASKFLOW_DB=db, as an operator runs it. */
function taskflow(
  command: string,
  file: string,
  db: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/taskflow.cli.ts', command, file],
      { cwd: SERVER_ROOT, env: { ...process.env, TASKFLOW_DB: db, NODE_ENV: 'test' } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0
        resolve({ code, stdout, stderr })
      },
    )
  })
}

const titles = (doc: Parameters<typeof getBoardView>[0]) =>
  getBoardView(doc).columns.flatMap((c) => c.tasks.map((t) => t.title))

describe('pnpm taskflow backup / verify / restore', () => {
  // Two servers and four CLI runs, each a process start: under a loaded CI box that alone
  // passed the 60 s default (the limit only catches hangs).
  it('a backup taken while a server receives edits restores every edit a client had seen before it started', async () => {
    const dir = tempDir()
    const live = join(dir, 'live.db')
    const server = await spawnServer(live)
    const editor = connectProvider(server, 'board')
    const watcher = connectProvider(server, 'board')
    await Promise.all([waitSynced(editor), waitSynced(watcher)])
    initBoard(editor.doc, { name: 'Roadmap' })
    const todo = getBoardView(editor.doc).columns[0]!.id
    for (let i = 0; i < 50; i++) createTask(editor.doc, { columnId: todo, title: `before ${i}` })
    await waitFor(() => titles(watcher.doc).length === 50, 'watcher has the first 50 tasks')

    // The editor keeps typing for as long as the backup runs.
    let n = 0
    let editing = true
    const typing = (async () => {
      // Paced and capped: on a loaded machine the CLI's start-up takes seconds, and an
      // unbounded 5 ms loop grew the board to thousands of tasks that every later
      // comparison re-reads (the test ran 51 s alone).
      while (editing && n < 300) {
        createTask(editor.doc, { columnId: todo, title: `during ${n++}` })
        await new Promise((r) => setTimeout(r, 20)) // pace, not a wait for anything
      }
    })()
    const seenBefore = titles(watcher.doc)
    const backupFile = join(dir, 'backup.db')
    const backup = await taskflow('backup', backupFile, live)
    editing = false
    await typing
    expect(backup.stderr).toBe('')
    expect(backup.code).toBe(0)
    expect(backup.stdout).toMatch(/1 documents/)
    expect(n).toBeGreaterThan(0)

    const verify = await taskflow('verify', backupFile, live)
    expect(verify.code).toBe(0)
    expect(verify.stdout).toMatch(/is valid: 0 projects, 1 documents, \d+ logged updates/)

    // The server still has the database open: restoring over it is refused and changes nothing.
    const refused = await taskflow('restore', backupFile, live)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/in use .*stop the server/)
    const stillServing = connectProvider(server, 'board')
    await waitFor(
      () => titles(stillServing.doc).length === titles(editor.doc).length,
      'the running server still serves every task',
    )

    await stop(server.child)
    editor.destroy()
    watcher.destroy()
    stillServing.destroy()

    const restoredDb = join(dir, 'restored', 'taskflow.db')
    const restore = await taskflow('restore', backupFile, restoredDb)
    expect(restore.stderr).toBe('')
    expect(restore.code).toBe(0)
    const second = await spawnServer(restoredDb)
    const fresh = connectProvider(second, 'board')
    await waitSynced(fresh)
    const restored = titles(fresh.doc)
    expect(getBoardView(fresh.doc).name).toBe('Roadmap')
    for (const t of seenBefore) expect(restored).toContain(t)
  }, 180_000)

  it('restore replaces a stopped server’s database and drops its stale -wal/-shm', async () => {
    const dir = tempDir()
    const source = await startSyncServer({ dir: join(dir, 'a') })
    const a = connectProvider(source, 'doc')
    await waitSynced(a)
    a.doc.getMap('m').set('from', 'backup')
    await waitFor(() => storedRows(source.dbFile, 'doc') > 0, 'the edit is stored')
    const backupFile = join(dir, 'backup.db')
    expect((await taskflow('backup', backupFile, source.dbFile)).code).toBe(0)

    // A server killed with -9 on another database leaves its -wal/-shm behind.
    const target = join(dir, 'target.db')
    const old = await spawnServer(target)
    const b = connectProvider(old, 'doc')
    await waitSynced(b)
    b.doc.getMap('m').set('from', 'old database')
    await waitFor(() => storedRows(target, 'doc') > 0, 'the old edit is stored')
    old.child.kill('SIGKILL')
    await new Promise((r) => old.child.once('exit', r))
    b.destroy()
    expect(existsSync(`${target}-wal`)).toBe(true)

    const restore = await taskflow('restore', backupFile, target)
    expect(restore.code).toBe(0)
    expect(existsSync(`${target}-wal`)).toBe(false)
    const next = await spawnServer(target)
    const c = connectProvider(next, 'doc')
    await waitSynced(c)
    expect(c.doc.getMap('m').get('from')).toBe('backup')
  })

  it('verify fails on a file whose bytes were flipped', async () => {
    const { backupFile, dir } = await smallBackup()
    const corrupt = join(dir, 'corrupt.db')
    copyFileSync(backupFile, corrupt)
    const bytes = readFileSync(corrupt)
    // Flip the start of every page after the first (b-tree page headers).
    for (let page = 4096; page < bytes.length; page += 4096) {
      for (let i = 0; i < 8; i++) bytes[page + i]! ^= 0xff
    }
    writeFileSync(corrupt, bytes)
    const verify = await taskflow('verify', corrupt, join(dir, 'unused.db'))
    expect(verify.code).toBe(1)
    expect(verify.stderr).toMatch(
      /^taskflow: .*(integrity check failed|not a readable TaskFlow database)/,
    )
    expect((await taskflow('verify', backupFile, join(dir, 'unused.db'))).code).toBe(0)
  })

  it('verify names the document whose update row is garbage, and restore refuses that backup', async () => {
    const { backupFile, dir } = await smallBackup()
    const sqlite = new SQLite(backupFile)
    const { seq } = sqlite
      .prepare("SELECT max(seq) AS seq FROM doc_updates WHERE doc_name = 'doc'")
      .get() as { seq: number }
    sqlite
      .prepare(
        'INSERT INTO doc_updates (doc_name, seq, "update", user_id, created_at) VALUES (?, ?, ?, NULL, 0)',
      )
      .run('doc', seq + 1, Buffer.from('garbage!'))
    sqlite.close()

    const verify = await taskflow('verify', backupFile, join(dir, 'unused.db'))
    expect(verify.code).toBe(1)
    expect(verify.stderr).toContain(`document doc: update seq ${seq + 1} does not load`)
    const target = join(dir, 'target.db')
    const restore = await taskflow('restore', backupFile, target)
    expect(restore.code).toBe(1)
    expect(existsSync(target)).toBe(false)
  })
})

function storedRows(dbFile: string, docName: string): number {
  const sqlite = new SQLite(dbFile, { readonly: true })
  try {
    return (
      sqlite.prepare('SELECT count(*) AS n FROM doc_updates WHERE doc_name = ?').get(docName) as {
        n: number
      }
    ).n
  } finally {
    sqlite.close()
  }
}

/** A backup of a server that stored a few edits of one document. */
async function smallBackup(): Promise<{ backupFile: string; dir: string }> {
  const dir = tempDir()
  const server = await startSyncServer({ dir: join(dir, 'live') })
  const a = connectProvider(server, 'doc')
  await waitSynced(a)
  for (let i = 0; i < 20; i++) a.doc.getMap('m').set(`k${i}`, i)
  await waitFor(() => storedRows(server.dbFile, 'doc') >= 20, 'edits stored')
  const backupFile = join(dir, 'backup.db')
  const backup = await taskflow('backup', backupFile, server.dbFile)
  expect(backup.code).toBe(0)
  return { backupFile, dir }
}
