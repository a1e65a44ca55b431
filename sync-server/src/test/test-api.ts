import type { Hono } from 'hono'
import { createApp } from '../app.js'
import { parseConfig } from '../config.js'
import { type Db, openDatabase } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { createLogger } from '../logger.js'
import type { SyncControl } from '../sync/access.js'

export interface TestApi {
  app: Hono
  db: Db
  /**
   * Calls the app in-process. A `string` body is sent as-is (malformed JSON tests). The
   * answer's body is parsed JSON, or the text of a non-JSON answer (HTML pages).
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
 * The HTTP app over a fresh, migrated in-memory database, with an injectable clock and
 * optionally a fake sync hub. No sockets: requests go through `app.request()`.
 */
export async function createTestApi(
  opts: { env?: Record<string, string>; sync?: SyncControl; logs?: string[] } = {},
): Promise<TestApi> {
  const config = parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...opts.env })
  const { db } = openDatabase(':memory:')
  await migrateToLatest(db)
  let t = Date.UTC(2026, 10, 26, 12)
  const app = createApp({
    config,
    db,
    logger: opts.logs
      ? createLogger('debug', (line) => {
          opts.logs!.push(line)
          return true
        })
      : createLogger('silent'),
    isReady: () => true,
    getSync: () => opts.sync,
    now: () => t,
  })
  return {
    app,
    db,
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
      // JSON for the API; pages (unsubscribe links) come back as their text.
      const isJson = res.headers.get('content-type')?.includes('json') ?? true
      const parsed = text && isJson ? JSON.parse(text) : text || null
      return { status: res.status, headers: res.headers, body: parsed }
    },
  }
}

/** Registers a user and returns its token and id. */
export async function signUp(
  api: TestApi,
  email: string,
  name = email.split('@')[0]!,
  password = 'correct horse battery',
): Promise<{ token: string; id: string }> {
  const res = await api.call('POST', '/api/v1/auth/register', { body: { email, password, name } })
  if (res.status !== 201)
    throw new Error(`register ${email}: ${res.status} ${JSON.stringify(res.body)}`)
  return { token: res.body.token, id: res.body.user.id }
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
