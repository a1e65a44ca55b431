import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { parseConfig } from '../config.js'
import { type RunningServer, type ServerDeps, startServer } from '../server.js'
import { recordContractViolation } from '../test/contract-violations.js'
import { createTestSchema, type TestSchema } from '../test/postgres.js'
import { isPostgresRef, queryStored } from '../test/stored.js'

/** Test-only helpers for sync: servers on port 0 (restartable on one DB), providers, raw sockets. */

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn()
})

export interface SyncServer extends RunningServer {
  dir: string
  dbFile: string
  /** ws://127.0.0.1:PORT/sync — the serverUrl a WebsocketProvider takes. */
  syncUrl: string
}

/** A fresh data folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'taskflow-sync-test-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/**
 * The storage backend of this test run: `sqlite` (default) or `postgres` (the vitest project
 * `postgres` sets TASKFLOW_TEST_BACKEND; issue 17: one contract suite, two backends).
 */
export const TEST_BACKEND: 'sqlite' | 'postgres' =
  process.env.TASKFLOW_TEST_BACKEND === 'postgres' ? 'postgres' : 'sqlite'

/** Postgres schemas standing for data folders, so a restart on one `dir` finds its data. */
const schemasByDir = new Map<string, TestSchema>()

/**
 * The database of data folder `dir` on this run's backend: `dir`/taskflow.db, or a fresh
 * Postgres schema (dropped after the test) — as a `dbFile` string either way (a
 * TASKFLOW_DATABASE_URL on Postgres; storedDoc and friends take both).
 */
export async function databaseIn(dir: string): Promise<string> {
  if (TEST_BACKEND === 'sqlite') return join(dir, 'taskflow.db')
  let schema = schemasByDir.get(dir)
  if (!schema) {
    const created = await createTestSchema()
    schema = created
    schemasByDir.set(dir, created)
    cleanups.push(async () => {
      schemasByDir.delete(dir)
      await created.drop()
    })
  }
  return schema.url
}

/** Server settings that store in `dbFile` (a SQLite file or a Postgres URL). */
export function storageEnv(dbFile: string): Record<string, string> {
  return isPostgresRef(dbFile) ? { TASKFLOW_DATABASE_URL: dbFile } : { TASKFLOW_DB: dbFile }
}

/** Starts a server (TASKFLOW_INSECURE_OPEN=1 unless overridden); closed after the test. */
export async function startSyncServer(
  opts: { dir?: string; env?: Record<string, string>; deps?: ServerDeps } = {},
): Promise<SyncServer> {
  const dir = opts.dir ?? tempDir()
  const dbFile = await databaseIn(dir)
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    ...storageEnv(dbFile),
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    TASKFLOW_INSECURE_OPEN: '1',
    ...opts.env,
  })
  const server = await startServer(config, undefined, {
    checkResponses: recordContractViolation,
    ...opts.deps,
  })
  cleanups.push(() => server.close())
  return { ...server, dir, dbFile, syncUrl: `ws://127.0.0.1:${server.port}/sync` }
}

export function connectProvider(
  server: { syncUrl: string },
  docName: string,
  opts: { doc?: Y.Doc; token?: string; connect?: boolean } = {},
): WebsocketProvider {
  const doc = opts.doc ?? new Y.Doc()
  const provider = new WebsocketProvider(server.syncUrl, docName, doc, {
    // biome-ignore lint/suspicious/noExplicitAny: ws is the documented Node polyfill
    WebSocketPolyfill: WebSocket as any,
    disableBc: true,
    connect: opts.connect ?? true,
    params: opts.token ? { token: opts.token } : {},
    maxBackoffTime: 200,
  })
  cleanups.push(() => {
    provider.destroy()
    doc.destroy()
  })
  return provider
}

/** Polls `cond` (cheap checks only) until true; fails with `label` after `timeoutMs`. */
export async function waitFor(
  cond: () => boolean,
  label: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for: ${label}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

export function waitSynced(provider: WebsocketProvider, timeoutMs = 15_000): Promise<void> {
  return waitFor(() => provider.synced, 'provider synced', timeoutMs)
}

/** A bare socket for speaking (bad) protocol by hand. */
const receivedBy = new WeakMap<WebSocket, Uint8Array[]>()

/** Every message a raw socket received, from its first byte on. */
export function receivedOn(ws: WebSocket): Uint8Array[] {
  return receivedBy.get(ws) ?? []
}

export async function rawSocket(server: { syncUrl: string }, docName: string): Promise<WebSocket> {
  const ws = new WebSocket(`${server.syncUrl}/${docName}`)
  const received: Uint8Array[] = []
  receivedBy.set(ws, received)
  // Attached before 'open': the server's first messages can arrive with the handshake.
  ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)))
  cleanups.push(() => ws.terminate())
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  return ws
}

export function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve({ code: -1, reason: 'already closed' })
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
}

/** What a client would render of the root types these tests use. */
export function contentOf(doc: Y.Doc): unknown {
  return {
    tasks: doc.getMap('tasks').toJSON(),
    notes: doc.getText('notes').toString(),
    m: doc.getMap('m').toJSON(),
  }
}

/** The document as storage holds it (snapshot + log), read through a second connection. */
export function storedDoc(
  dbFile: string,
  docName: string,
): { doc: Y.Doc; logRows: number; hasSnapshot: boolean } {
  const [snap] = queryStored<{ upto_seq: number; state: Uint8Array; parts_id: string | null }>(
    dbFile,
    'SELECT upto_seq, state, parts_id FROM doc_snapshots WHERE doc_name = ?',
    [docName],
  )
  // A large snapshot is stored in parts (state-parts.ts).
  const state =
    snap?.parts_id != null
      ? Buffer.concat(
          queryStored<{ data: Uint8Array }>(
            dbFile,
            'SELECT data FROM doc_state_parts WHERE blob_id = ? ORDER BY part',
            [snap.parts_id],
          ).map((p) => p.data),
        )
      : snap?.state
  const updates = queryStored<{ update: Uint8Array }>(
    dbFile,
    'SELECT "update" FROM doc_updates WHERE doc_name = ? AND seq > ? ORDER BY seq',
    [docName, snap?.upto_seq ?? 0],
  )
  const doc = new Y.Doc()
  if (state) Y.applyUpdate(doc, state)
  for (const u of updates) Y.applyUpdate(doc, u.update)
  cleanups.push(() => doc.destroy())
  return { doc, logRows: updates.length, hasSnapshot: snap !== undefined }
}

/** user_id of every stored log row of a document, distinct, sorted. */
export function storedAuthors(dbFile: string, docName: string): (string | null)[] {
  const rows = queryStored<{ user_id: string | null }>(
    dbFile,
    'SELECT user_id FROM doc_updates WHERE doc_name = ? GROUP BY user_id',
    [docName],
  )
  // Sorted here, NULL first: Postgres orders text by its collation, not by code point.
  const ids = rows.map((r) => r.user_id)
  return [...ids.filter((i) => i === null), ...ids.filter((i) => i !== null).sort()]
}

/** Same structs and deletions: the strongest "identical document" Yjs offers. */
export function sameState(a: Y.Doc, b: Y.Doc): boolean {
  return Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b))
}
