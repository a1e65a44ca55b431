import { getBoardView } from '@taskflow/board'
import { expect } from 'vitest'
import type * as Y from 'yjs'
import type { ServerDeps } from '../server.js'
import {
  connectProvider,
  type SyncServer,
  startSyncServer,
  waitFor,
  waitSynced,
} from '../sync/sync-test-utils.js'
import { queryStored } from './stored.js'

/**
 * Collaboration fixtures for activity and notification tests: a real server with an
 * injected clock, users who sign up and join over REST, and y-websocket clients.
 */

// Monday 2 November 2026, 10:00 UTC.
export const T0 = Date.UTC(2026, 10, 2, 10)

export async function json(
  server: { url: string },
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null }
}

export interface Person {
  token: string
  id: string
  email: string
  name: string
}

/** A real server whose mail goes to the outbox table of its database. */
export interface MailingServer {
  url: string
  dbFile: string
  /** In-process servers: resolves once mail sent after an answer is written. */
  idle?: () => Promise<void>
}

/**
 * The text of the newest mail to `to` matching `pattern` in a real server's outbox. Mail is
 * written after the answer, so a server in another process is polled (5 s deadline).
 */
export async function lastMailOn(
  server: MailingServer,
  to: string,
  pattern: RegExp = /./,
): Promise<string> {
  await server.idle?.()
  const deadline = Date.now() + 5000
  for (;;) {
    const [row] = queryStored<{ text: string }>(
      server.dbFile,
      'SELECT text FROM mail_outbox WHERE to_address = ? ORDER BY id DESC LIMIT 1',
      [to],
    )
    if (row && pattern.test(row.text)) return row.text
    if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${pattern}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/**
 * Registers on a real server and signs in: at once for the instance's first account,
 * otherwise through the verification link in the outbox, as a person would.
 */
export async function registerVerified(
  server: MailingServer,
  body: { email: string; password: string; name: string },
): Promise<{ token: string; id: string }> {
  const r = await json(server, 'POST', '/auth/register', undefined, body)
  if (r.status === 201) return { token: r.body.token, id: r.body.user.id }
  expect(r.status).toBe(202)
  const link = /\/verify-email\/([A-Za-z0-9_-]{43})/
  const token = link.exec(await lastMailOn(server, body.email, link))
  expect(token).not.toBeNull()
  const v = await json(server, 'POST', '/auth/verify-email', undefined, { token: token![1] })
  expect(v.status).toBe(200)
  return { token: v.body.token, id: v.body.user.id }
}

export async function signUp(server: MailingServer, name: string): Promise<Person> {
  const email = `${name}@example.com`
  const r = await registerVerified(server, { email, password: 'correct horse battery', name })
  return { ...r, email, name }
}

export interface Clock {
  now(): number
  set(t: number): void
  advance(ms: number): void
}

export function clockAt(t0: number): Clock {
  let t = t0
  return {
    now: () => t,
    set: (x) => {
      t = x
    },
    advance: (ms) => {
      t += ms
    },
  }
}

/** A compaction that always fails: the log is kept whole, as after a kill -9. */
export const NO_COMPACTION: ServerDeps = {
  compactionHooks: {
    afterSnapshotWrite: () => {
      throw new Error('test: no compaction')
    },
  },
}

/** Starts (or restarts, with `dir`) a server on the given clock. */
export function startCollabServer(
  clock: Clock,
  opts: { dir?: string; env?: Record<string, string>; deps?: ServerDeps } = {},
): Promise<SyncServer> {
  return startSyncServer({
    dir: opts.dir,
    env: { TASKFLOW_INSECURE_OPEN: '0', TASKFLOW_PROJECTION_DEBOUNCE_MS: '20', ...opts.env },
    deps: { now: clock.now, ...opts.deps },
  })
}

/** Ann owns "Launch"; Bob and Cat are members; Eve is not in the project. */
export async function collabWorld(opts: { env?: Record<string, string>; deps?: ServerDeps } = {}) {
  const clock = clockAt(T0)
  const server = await startCollabServer(clock, opts)
  const ann = await signUp(server, 'ann')
  const bob = await signUp(server, 'bob')
  const cat = await signUp(server, 'cat')
  const eve = await signUp(server, 'eve')
  const created = await json(server, 'POST', '/projects', ann.token, { name: 'Launch' })
  expect(created.status).toBe(201)
  const projectId: string = created.body.id
  for (const p of [bob, cat]) {
    const r = await json(server, 'POST', `/projects/${projectId}/members`, ann.token, {
      email: p.email,
      role: 'member',
    })
    expect(r.status).toBe(201)
  }
  return { clock, server, projectId, ann, bob, cat, eve }
}

/** A synced client of `projectId` for `who`. */
export async function client(
  server: { syncUrl: string },
  projectId: string,
  who: Person,
  doc?: Y.Doc,
) {
  const provider = connectProvider(server, projectId, { token: who.token, doc })
  await waitSynced(provider)
  await waitFor(() => getBoardView(provider.doc).columns.length > 0, 'board columns')
  return provider
}

/** Waits until every doc shows what the first shows: the server committed it by then. */
export async function relayed(...docs: Y.Doc[]) {
  const view = (d: Y.Doc) => JSON.stringify(getBoardView(d))
  await waitFor(() => docs.every((d) => view(d) === view(docs[0]!)), 'update relayed')
}

export function ok<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

/**
 * Waits until `cond` holds of what a server stored, checking only after the server derived
 * and mailed everything committed so far (`idle`). Reads of a Postgres test database are
 * child processes that block this process's loop, and with it the in-process server, while
 * they run: polling them in a tight loop would starve the very work being waited for.
 */
export async function storedUntil(
  server: { idle(): Promise<void> },
  cond: () => boolean,
  label: string,
): Promise<void> {
  const deadline = performance.now() + 15_000
  for (;;) {
    await server.idle()
    if (cond()) return
    if (performance.now() > deadline) throw new Error(`timed out waiting for: ${label}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** GETs `path` until `until(body)` holds (derivation is written shortly after commits). */
export async function poll(
  server: { url: string; idle?: () => Promise<void> },
  path: string,
  token: string,
  until: (body: any) => boolean,
  timeoutMs = 10_000,
): Promise<any> {
  let last: any
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline) {
    // Everything committed so far is derived first (in-process servers).
    await server.idle?.()
    const r = await json(server, 'GET', path, token)
    last = r.body
    if (r.status === 200 && until(r.body)) return r.body
    await new Promise((res) => setTimeout(res, 20))
  }
  throw new Error(`${path} never matched; last: ${JSON.stringify(last)}`)
}
