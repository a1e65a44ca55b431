import type { Hono } from 'hono'
import { createApp } from '../app.js'
import { parseConfig } from '../config.js'
import type { Db } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { DEFAULT_CHECKPOINT_UPDATES } from '../history/checkpoint-policy.js'
import { createAfterResponse } from '../http/after-response.js'
import { createLogger } from '../logger.js'
import { denyAllAuthorize, type SyncControl } from '../sync/access.js'
import { ApiClientStore } from '../sync/api-clients.js'
import { ClientBindingStore } from '../sync/authorship.js'
import { SyncHub } from '../sync/sync-hub.js'
import { UpdateLog } from '../sync/update-log.js'
import { recordContractViolation } from './contract-violations.js'
import { openTestStorage } from './test-storage.js'

export interface TestApi {
  app: Hono
  db: Db
  /**
   * Calls the app in-process. A `string` body is sent as-is (malformed JSON tests). The
   * answer's body is parsed JSON, or the text of a non-JSON answer (HTML pages). Resolves
   * once the work the request left for after its answer (mail) is done too.
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
 * The HTTP app over a fresh, migrated database (in memory, or a Postgres schema: test-storage.ts), with an injectable clock and
 * optionally a fake sync hub. No sockets: requests go through `app.request()`.
 */
export async function createTestApi(
  opts: {
    env?: Record<string, string>
    sync?: SyncControl
    logs?: string[]
    /** A real sync hub over the same database (no sockets), for routes that edit boards. */
    hub?: boolean
  } = {},
): Promise<TestApi> {
  const config = parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...opts.env })
  const { db } = await openTestStorage()
  await migrateToLatest(db)
  let t = Date.UTC(2026, 10, 26, 12)
  const logger = opts.logs
    ? createLogger('debug', (line) => {
        opts.logs!.push(line)
        return true
      })
    : createLogger('silent')
  const afterResponse = createAfterResponse(logger)
  const sync =
    opts.sync ??
    (opts.hub
      ? new SyncHub({
          log: new UpdateLog(
            db,
            () => t,
            {},
            { days: config.TASKFLOW_HISTORY_DAYS, checkpointUpdates: DEFAULT_CHECKPOINT_UPDATES },
          ),
          logger,
          authorize: denyAllAuthorize,
          // Never within a test: unloading compacts the log, which would change its rows.
          roomGraceMs: 3_600_000,
          compactUpdates: config.TASKFLOW_COMPACT_UPDATES,
          compactBytes: config.TASKFLOW_COMPACT_BYTES,
          fanoutBatchMs: 0,
          now: () => t,
          clientBindings: new ClientBindingStore(db),
          apiClients: new ApiClientStore(db),
          limits: {
            output: {
              socketBytes: config.TASKFLOW_SOCKET_OUTPUT_BYTES,
              userBytes: config.TASKFLOW_USER_OUTPUT_BYTES,
              processBytes: config.TASKFLOW_PROCESS_OUTPUT_BYTES,
            },
            step1PerMinute: config.TASKFLOW_SYNC_STEP1_PER_MINUTE,
            diffMaxClocks: config.TASKFLOW_SYNC_DIFF_MAX_CLOCKS,
            socketsPerUser: config.TASKFLOW_MAX_SOCKETS_PER_USER,
            socketsPerDoc: config.TASKFLOW_MAX_SOCKETS_PER_DOC,
          },
        })
      : undefined)
  const app = createApp({
    config,
    db,
    logger,
    afterResponse,
    isReady: () => true,
    getSync: () => sync,
    now: () => t,
    checkResponses: recordContractViolation,
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
      await afterResponse.idle()
      // JSON for the API; pages (unsubscribe links) come back as their text.
      const isJson = res.headers.get('content-type')?.includes('json') ?? true
      const parsed = text && isJson ? JSON.parse(text) : text || null
      return { status: res.status, headers: res.headers, body: parsed }
    },
  }
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
