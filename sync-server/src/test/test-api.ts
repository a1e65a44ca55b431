import type { Hono } from 'hono'
import { type Composition, composeServer } from '../composition.js'
import { parseConfig } from '../config.js'
import type { Db } from '../db/database.js'
import { createLogger } from '../logger.js'
import type { SyncControl } from '../sync/access.js'
import { recordContractViolation } from './contract-violations.js'
import { openTestStorage } from './test-storage.js'

export interface TestApi {
  app: Hono
  db: Db
  /** The live-connection control accounts code calls (the composed hub): spy on it to observe. */
  sync: SyncControl
  /** The whole assembly (composition.ts), as production builds it. */
  composed: Composition
  /**
   * Calls the app in-process. A `string` body is sent as-is (malformed JSON tests). The
   * answer's body is parsed JSON, or the text of a non-JSON answer (HTML pages). Resolves
   * once the work the request left for after its answer (mail, derivations) is done too.
   */
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; headers: Headers; body: any }>
  /** The injected clock. */
  now(): number
  /** Advances the injected clock. */
  advance(ms: number): void
}

/**
 * The server as production composes it (composition.ts), over a fresh database (in memory,
 * or a Postgres schema of its own: test-storage.ts), with an injectable clock. No sockets and
 * no background loops: requests go through `app.request()`, and each call returns once the
 * work it left is done.
 */
export async function createTestApi(
  opts: { env?: Record<string, string>; logs?: string[] } = {},
): Promise<TestApi> {
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    // Never within a test: unloading compacts the log, which would change its rows.
    TASKFLOW_ROOM_GRACE_MS: '3600000',
    ...opts.env,
  })
  // composed.open() migrates, as production's start-up does (on SQLite the copy of a migrated
  // database leaves it nothing to do).
  const storage = await openTestStorage({ migrated: true })
  const { db } = storage
  let t = Date.UTC(2026, 10, 26, 12)
  const logger = opts.logs
    ? createLogger('debug', (line) => {
        opts.logs!.push(line)
        return true
      })
    : createLogger('silent')
  const composed = composeServer(config, logger, {
    now: () => t,
    storage,
    checkResponses: recordContractViolation,
  })
  await composed.open()
  const { app } = composed
  return {
    app,
    db,
    sync: composed.sync,
    composed,
    now: () => t,
    advance: (ms) => {
      t += ms
    },
    async call(method, path, { token, body, headers = {} } = {}) {
      const h: Record<string, string> = { ...headers }
      if (token) h.authorization = `Bearer ${token}`
      let payload: string | undefined
      if (body !== undefined) {
        h['content-type'] ??= 'application/json'
        payload = typeof body === 'string' ? body : JSON.stringify(body)
      }
      const res = await app.request(path, { method, headers: h, body: payload })
      const text = await res.text()
      // What the request left (mail, derived activity and notifications) is done too: what a
      // test reads next does not depend on a debounce timer.
      await composed.idle()
      // JSON for the API; pages (unsubscribe links) come back as their text.
      const isJson = res.headers.get('content-type')?.includes('json') ?? true
      const parsed = text && isJson ? JSON.parse(text) : text || null
      return { status: res.status, headers: res.headers, body: parsed }
    },
  }
}

/**
 * Records the calls accounts code makes on the composed hub's live-connection control
 * (`[method, first argument]`), each still passed through to the hub.
 */
export function recordSyncCalls(api: TestApi): Array<[string, unknown]> {
  const calls: Array<[string, unknown]> = []
  const control = api.sync as unknown as Record<string, (...args: unknown[]) => unknown>
  for (const name of ['reauthorize', 'closeDocument', 'deleteDocument'] as const) {
    const real = control[name]!.bind(api.sync)
    control[name] = (...args: unknown[]) => {
      calls.push([name, args[0]])
      return real(...args)
    }
  }
  return calls
}

/**
 * Registers a user and returns its token and id: signed in at once (the instance's first
 * account), or through the verification link mailed to the outbox, as a person would.
 */
export async function signUp(
  api: TestApi,
  email: string,
  name = email.split('@')[0]!,
  password = 'correct horse battery',
): Promise<{ token: string; id: string }> {
  const res = await api.call('POST', '/api/v1/auth/register', { body: { email, password, name } })
  if (res.status === 201) return { token: res.body.token, id: res.body.user.id }
  if (res.status !== 202)
    throw new Error(`register ${email}: ${res.status} ${JSON.stringify(res.body)}`)
  const verified = await api.call('POST', '/api/v1/auth/verify-email', {
    body: { token: verificationToken((await lastMailTo(api.db, email)).text) },
  })
  if (verified.status !== 200)
    throw new Error(`verify ${email}: ${verified.status} ${JSON.stringify(verified.body)}`)
  return { token: verified.body.token, id: verified.body.user.id }
}

/** The token of the `/verify-email/<token>` link in a mail's text. */
export function verificationToken(mailText: string): string {
  const match = /\/verify-email\/([A-Za-z0-9_-]{43})/.exec(mailText)
  if (!match) throw new Error(`no verification link in: ${mailText}`)
  return match[1]!
}

/** The newest message in the outbox to `to`. */
export async function lastMailTo(db: Db, to: string): Promise<{ subject: string; text: string }> {
  return db
    .selectFrom('mail_outbox')
    .select(['subject', 'text'])
    .where('to_address', '=', to)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
}
