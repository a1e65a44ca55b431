import { ERROR_CODES, type ErrorBody } from '@taskflow/api'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { UPLOAD_PATH } from './attachments/attachments.routes.js'
import type { BlobStore } from './attachments/blob-store.js'
import { createAccountsApi } from './auth/accounts-api.js'
import type { Clock } from './clock.js'
import type { Config } from './config.js'
import type { Db } from './db/database.js'
import type { HistoryDeriver } from './history/history-deriver.js'
import type { AfterResponse } from './http/after-response.js'
import { apiReferenceRoutes } from './http/api-reference.js'
import { AppError } from './http/app-error.js'
import { requestLog } from './http/request-log.js'
import { responseContract } from './http/response-contract.js'
import { securityHeaders } from './http/security-headers.js'
import { serveBuiltApp } from './http/static-app.js'
import { IMPORT_PATH } from './imports/imports.routes.js'
import type { Logger } from './logger.js'
import type { Mailer } from './mail/mailer.js'
import type { PrometheusMetrics } from './metrics/metrics.js'
import { metricsRoutes } from './metrics/metrics.routes.js'
import type { NotificationsRuntime } from './notifications/notifications.runtime.js'
import type { SyncControl } from './sync/access.js'
import type { Lookup } from './webhooks/ssrf.js'

export interface AppDeps {
  config: Config
  db: Db
  logger: Logger
  /** False until migrations ran; `/healthz` answers 503 meanwhile. */
  isReady: () => boolean
  /**
   * What `/readyz` checks once started: each dependency (database, Redis) and whether it
   * answers now. Absent = ready when started.
   */
  dependencies?: () => Promise<Record<string, boolean>>
  /** The sync hub (composition.ts); accounts code tells it about membership/session changes. */
  getSync: () => SyncControl | undefined
  /** Outgoing mail (SMTP or the outbox), shared with notifications. */
  mailer: Mailer
  /** The server's clock (sessions, tokens, rate limits, reports). */
  now: Clock
  /** Shared with the sync side and the scheduler (composition.ts). */
  notifications: NotificationsRuntime
  /** Serves `GET /metrics` and counts requests when set (TASKFLOW_METRICS=1). */
  metrics?: PrometheusMetrics
  /** Mail sent after the answer (sign-up, reset); the server waits for it on idle/close. */
  afterResponse: AfterResponse
  /**
   * Checks every `/api/v1` answer against the route registry of `@taskflow/api` and reports
   * each mismatch (tests: every API test doubles as a contract test). Off in production.
   */
  checkResponses?: (problem: string) => void
  /** Tells the webhook delivery worker that a delivery became due (redelivery, re-enable). */
  wakeWebhooks?: () => void
  /** Keeps task-history indexes current in the background (server.ts); absent: on read only. */
  historyDeriver?: HistoryDeriver
  /** Resolves webhook hosts when they are saved (tests); default DNS. */
  webhookLookup?: Lookup
  /** Attachment files, shared with the garbage collector (composition.ts). */
  blobStore: BlobStore
}

/**
 * Builds the HTTP app from parts composition.ts made (composeServer is its only caller). No
 * I/O on import or construction: startServer owns sockets.
 */
export function createApp(deps: AppDeps): Hono {
  const { config, logger } = deps
  const app = new Hono()

  // First, so that every response gets them: app, API, SSE, 404 and errors alike.
  app.use(securityHeaders({ publicUrl: config.TASKFLOW_PUBLIC_URL }))
  // Request id, access log and HTTP metrics around everything below.
  app.use(...requestLog(logger, deps.metrics))
  if (deps.checkResponses) app.use('/api/v1/*', responseContract(deps.checkResponses))

  if (deps.metrics) app.route('/', metricsRoutes(deps.metrics, config.TASKFLOW_METRICS_TOKEN))
  // Off: a scraper gets 404, not the app's index.html from the SPA fallback below.
  else app.get('/metrics', (c) => c.notFound())

  app.get('/healthz', (c) =>
    deps.isReady() ? c.json({ status: 'ok' }) : c.json({ status: 'starting' }, 503),
  )
  // For a load balancer: this node can serve requests now (alive is /healthz).
  app.get('/readyz', async (c) => {
    if (!deps.isReady()) return c.json({ status: 'starting' }, 503)
    const checks = (await deps.dependencies?.()) ?? {}
    const down = Object.keys(checks).filter((name) => !checks[name])
    return down.length > 0
      ? c.json({ status: 'unavailable', down, checks }, 503)
      : c.json({ status: 'ok', checks })
  })

  const apiBodyLimit = bodyLimit({
    maxSize: config.TASKFLOW_MAX_BODY_BYTES,
    onError: () => {
      throw new AppError(413, ERROR_CODES.payloadTooLarge, 'Request body is too large')
    },
  })
  // Import files (a Trello board with years of actions) outgrow ordinary request bodies.
  const importBodyLimit = bodyLimit({
    maxSize: config.TASKFLOW_IMPORT_MAX_BYTES,
    onError: () => {
      throw new AppError(
        413,
        ERROR_CODES.payloadTooLarge,
        `The import file is too large (at most ${config.TASKFLOW_IMPORT_MAX_BYTES} bytes)`,
      )
    },
  })
  // Attachment uploads stream to disk under their own limit (TASKFLOW_MAX_UPLOAD_MB).
  app.use('/api/*', (c, next) =>
    c.req.method === 'POST' && UPLOAD_PATH.test(c.req.path)
      ? next()
      : IMPORT_PATH.test(c.req.path)
        ? importBodyLimit(c, next)
        : apiBodyLimit(c, next),
  )

  // The OpenAPI document and the interactive reference (`/api/docs`), both public.
  app.route('/', apiReferenceRoutes())

  app.route(
    '/api/v1',
    createAccountsApi({
      config,
      db: deps.db,
      logger,
      mailer: deps.mailer,
      getSync: deps.getSync,
      now: deps.now,
      notifications: deps.notifications,
      afterResponse: deps.afterResponse,
      wakeWebhooks: deps.wakeWebhooks,
      webhookLookup: deps.webhookLookup,
      blobStore: deps.blobStore,
      historyDeriver: deps.historyDeriver,
    }),
  )

  if (config.TASKFLOW_APP_DIR) serveBuiltApp(app, config.TASKFLOW_APP_DIR)

  app.notFound((c) =>
    c.json<ErrorBody>({ error: { code: ERROR_CODES.notFound, message: 'Not found' } }, 404),
  )

  app.onError((err, c) => {
    if (err instanceof AppError) {
      for (const [k, v] of Object.entries(err.headers)) c.header(k, v)
      return c.json<ErrorBody>({ error: { code: err.code, message: err.message } }, err.status)
    }
    if (err instanceof HTTPException && err.status < 500) {
      return c.json<ErrorBody>(
        { error: { code: ERROR_CODES.badRequest, message: err.message || 'Bad request' } },
        err.status,
      )
    }
    logger.error('unhandled error', { err: String(err), stack: (err as Error).stack })
    return c.json<ErrorBody>(
      { error: { code: ERROR_CODES.internal, message: 'Internal server error' } },
      500,
    )
  })

  return app
}
