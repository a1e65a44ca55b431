import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { sql } from 'kysely'
import { activityConsumer } from './activity/activity.consumer.js'
import { createApp } from './app.js'
import { AttachmentCollector } from './attachments/attachment-collector.js'
import { BlobStore } from './attachments/blob-store.js'
import { type Clock, systemClock } from './clock.js'
import { ClusterNode, type ClusterTestHooks } from './cluster/cluster-node.js'
import { closeSharedLimits } from './cluster/shared-limits.js'
import type { Config } from './config.js'
import { openStorage } from './db/database.js'
import { migrateToLatest } from './db/migrate.js'
import { createCommittedLog } from './derivation/committed-log.js'
import { eventsConsumer } from './derivation/consumer.js'
import { DatabaseLease } from './derivation/database-lease.js'
import { DerivationEngine } from './derivation/engine.js'
import { WorkerFolder } from './derivation/worker-folder.js'
import { DEFAULT_CHECKPOINT_UPDATES } from './history/checkpoint-policy.js'
import { createAfterResponse } from './http/after-response.js'
import { createLogger, type Logger } from './logger.js'
import { createMailer } from './mail/mailer.js'
import { PrometheusMetrics } from './metrics/metrics.js'
import { createNotificationsRuntime } from './notifications/notifications.runtime.js'
import { NotificationScheduler } from './notifications/notifications.scheduler.js'
import { NotificationsSink } from './notifications/notifications.sink.js'
import { createSyncAuthorize } from './projects/sync-authorize.js'
import { projectionConsumer } from './reports/projection.consumer.js'
import { createProjectionReads } from './reports/projection.reads.js'
import { rebuildProjection } from './reports/projector.js'
import { backfillSearchIndex } from './search/search-backfill.js'
import { type Authorize, insecureOpenAuthorize, type SyncControl } from './sync/access.js'
import { ApiClientStore } from './sync/api-clients.js'
import { ClientBindingStore } from './sync/authorship.js'
import { CompactionEncoder } from './sync/compaction-encoder.js'
import { SyncHub, type SyncStats } from './sync/sync-hub.js'
import { type CompactionHooks, UpdateLog } from './sync/update-log.js'
import { attachSyncWebSocket } from './sync/ws-server.js'
import { DeliveryWorker } from './webhooks/delivery-worker.js'
import type { Lookup } from './webhooks/ssrf.js'
import { WebhooksSink } from './webhooks/webhooks.sink.js'

export interface RunningServer {
  port: number
  url: string
  /** Graceful stop: stop accepting, flush, close sockets with 1012, close the database. */
  close: () => Promise<void>
  /** Live-connection control for accounts code (reauthorize, close/delete a document). */
  sync: SyncControl
  /** Rebuilds one project's reporting projection from its stored document and log. */
  rebuildProjection: (projectId: string) => Promise<void>
  /** Runs the notification scheduler once now (due tasks, digests, unsent mail). */
  runNotificationTick: () => Promise<void>
  /**
   * Drain hook: commits every update received so far, writes everything derived from the
   * log (projection, activity, notifications) without waiting for the debounce, and waits
   * for the pushes and mail that started. When it resolves, what the server will ever
   * derive from updates it has received is visible: tests assert "nothing more arrives"
   * after it instead of sleeping. Webhook deliveries due by the injected clock are tried
   * (move the clock past a retry, then call this).
   */
  idle: () => Promise<void>
  /** Sync counters and queued output (SPEC 5.5–5.8). */
  syncStats: () => SyncStats
  /** Runs the attachment garbage collection now (by the injected clock); the deleted hashes. */
  collectAttachments: () => Promise<string[]>
}

/** Optional overrides, for accounts code and tests. */
export interface ServerDeps {
  /** Decides sync access; default: sessions + project membership, or allow all when TASKFLOW_INSECURE_OPEN=1. */
  authorize?: Authorize
  /** The server's one clock (SPEC 10.1), wired to every part below; default the wall clock. */
  now?: Clock
  /** Test seam to simulate a crash in the middle of compaction. */
  compactionHooks?: CompactionHooks
  /** Test seam: updates between history checkpoints (default DEFAULT_CHECKPOINT_UPDATES). */
  checkpointUpdates?: number
  /** Reports API answers that break the route registry's contract (tests). */
  checkResponses?: (problem: string) => void
  /** Resolves webhook hosts (tests: a name that points at a private address). */
  webhookLookup?: Lookup
  /**
   * Client-ID bindings (SPEC 7); default the database's. `null` runs without the authorship
   * check: bench/authorship.mjs measures its cost this way, never a setting of the product.
   */
  clientBindings?: ClientBindingStore | null
  /** Test seams of several nodes (TASKFLOW_REDIS_URL): lost messages, catch-up period. */
  cluster?: ClusterTestHooks
}

/** Opens the database, migrates, and listens. Used by main.ts and by tests (PORT=0). */
export async function startServer(
  config: Config,
  logger: Logger = createLogger(config.LOG_LEVEL),
  deps: ServerDeps = {},
): Promise<RunningServer> {
  // The one place the clock is chosen (SPEC 10.1): every part below takes this `now`.
  const now = deps.now ?? systemClock
  // SQLite (TASKFLOW_DB) by default, Postgres with TASKFLOW_DATABASE_URL (issue 17).
  const storage = openStorage(config)
  const { db, sqlite } = storage
  const metrics = config.TASKFLOW_METRICS === '1' ? new PrometheusMetrics() : undefined
  let ready = false
  // Several nodes (TASKFLOW_REDIS_URL); set after migrations, before the server listens.
  let cluster: ClusterNode | undefined
  // The hub starts after the app; accounts code reaches it through this late-bound reference.
  let syncControl: SyncControl | undefined
  const notifications = createNotificationsRuntime({
    config,
    db,
    logger,
    mailer: createMailer(config, db, logger, now, metrics),
  })
  const afterResponse = createAfterResponse(logger)
  // Webhook deliveries leave from a durable outbox, off the relay path; started below.
  const webhooks = new DeliveryWorker({
    db,
    now,
    logger,
    allowPrivate: config.TASKFLOW_WEBHOOK_ALLOW_PRIVATE === '1',
    concurrency: config.TASKFLOW_WEBHOOK_CONCURRENCY,
    lookup: deps.webhookLookup,
  })
  // One store for uploads and the collector: they share its per-file locks.
  const blobStore = new BlobStore(config.TASKFLOW_FILES)
  const app = createApp({
    blobStore,
    wakeWebhooks: () => webhooks.wake(),
    webhookLookup: deps.webhookLookup,
    afterResponse,
    notifications,
    config,
    db,
    logger,
    isReady: () => ready,
    dependencies: async (): Promise<Record<string, boolean>> => {
      const database = await sql`select 1`.execute(db).then(
        () => true,
        () => false,
      )
      return cluster ? { database, redis: await cluster.redisReachable() } : { database }
    },
    getSync: () => syncControl,
    now,
    metrics,
    checkResponses: deps.checkResponses,
  })
  await migrateToLatest(db)
  if (config.TASKFLOW_REDIS_URL) {
    // Redis must answer before this node serves anything: start-up fails otherwise.
    cluster = new ClusterNode({
      redisUrl: config.TASKFLOW_REDIS_URL,
      prefix: config.TASKFLOW_REDIS_PREFIX,
      db,
      now,
      logger,
      ...deps.cluster,
    })
    await cluster.start()
  }
  // Before rooms and the projector start, so nothing else writes the index meanwhile.
  // The search index is SQLite's FTS5 (docs/operations.md: search is SQLite-only for now).
  if (sqlite) await backfillSearchIndex(db, createProjectionReads(db), logger)
  ready = true

  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST })
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const port = (server.address() as AddressInfo).port

  if (!deps.authorize && config.TASKFLOW_INSECURE_OPEN === '1') {
    logger.warn(
      '!!! TASKFLOW_INSECURE_OPEN=1: every sync connection may read and write every document. Development only. !!!',
    )
  }
  const authorize =
    deps.authorize ??
    (config.TASKFLOW_INSECURE_OPEN === '1' ? insecureOpenAuthorize : createSyncAuthorize(db, now))
  const reads = createProjectionReads(db)
  // One engine derives everything from the committed log, off the relay path (rule 8).
  const derivations = new DerivationEngine({
    db,
    log: createCommittedLog(db),
    logger,
    now,
    debounceMs: config.TASKFLOW_PROJECTION_DEBOUNCE_MS,
    // The Yjs work of a first projection takes seconds on a 10,000-task board: off this loop.
    folder: new WorkerFolder(logger),
    // Several nodes: one at a time runs a document's consumers (derivation_leases).
    ...(cluster && { lease: new DatabaseLease(db, cluster.node, now) }),
    // A compaction that stopped at the slowest consumer's cursor goes on from there.
    afterRun: async (docName) => {
      const finish = () => updateLog.compactToFloor(docName)
      if (cluster) await cluster.hub.compaction(docName, Number.MAX_SAFE_INTEGER, finish)
      else await finish()
    },
    consumers: [
      projectionConsumer(),
      activityConsumer(),
      eventsConsumer('notifications', new NotificationsSink(notifications.notifier, logger)),
      eventsConsumer('webhooks', new WebhooksSink(now, () => webhooks.wake())),
    ],
  })
  const scheduler = new NotificationScheduler({
    db,
    notifier: notifications.notifier,
    logger,
    now,
    intervalMs: config.TASKFLOW_NOTIFY_TICK_MS,
  })
  scheduler.start()
  webhooks.start()
  const attachments = new AttachmentCollector({
    db,
    store: blobStore,
    now,
    logger,
    retentionDays: config.TASKFLOW_ATTACHMENT_RETENTION_DAYS,
  })
  await attachments.start()
  const updateLog = new UpdateLog(db, now, deps.compactionHooks, {
    days: config.TASKFLOW_HISTORY_DAYS,
    checkpointUpdates: deps.checkpointUpdates ?? DEFAULT_CHECKPOINT_UPDATES,
  })
  // Compaction's encode runs on a worker thread: it stalled relaying on large boards.
  const compactionEncoder = new CompactionEncoder()
  const hub = new SyncHub({
    now,
    derivations,
    log: updateLog,
    logger,
    authorize,
    roomGraceMs: config.TASKFLOW_ROOM_GRACE_MS,
    compactUpdates: config.TASKFLOW_COMPACT_UPDATES,
    compactBytes: config.TASKFLOW_COMPACT_BYTES,
    fanoutBatchMs: config.TASKFLOW_FANOUT_BATCH_MS,
    awarenessLimits: {
      maxClientsPerConnection: config.TASKFLOW_AWARENESS_MAX_CLIENTS,
      maxStateBytes: config.TASKFLOW_AWARENESS_MAX_STATE_BYTES,
    },
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
    // Connections without a user (insecure-open) are never checked or bound (SPEC 7.5).
    ...(deps.clientBindings === null
      ? {}
      : { clientBindings: deps.clientBindings ?? new ClientBindingStore(db) }),
    apiClients: new ApiClientStore(db),
    metrics,
    encoder: compactionEncoder,
    cluster: cluster?.hub,
  })
  // With several nodes, access changes reach every node's sockets and streams.
  const sync = cluster ? cluster.attach(hub, notifications.hub) : hub
  syncControl = sync
  metrics?.watchSync(hub)
  metrics?.watchDerivations(db)
  // SPEC 3.5: reports and activity are right after a crash without anyone opening a board.
  void derivations.catchUp()
  const stopAcceptingSync = attachSyncWebSocket(
    server as Server,
    hub,
    config.TASKFLOW_MAX_MESSAGE_BYTES,
    logger,
  )
  logger.info('listening', {
    port,
    db: storage.dialect === 'sqlite' ? config.TASKFLOW_DB : 'postgres (TASKFLOW_DATABASE_URL)',
  })
  if (config.publicUrlDefaulted && config.NODE_ENV === 'production') {
    logger.warn(
      `TASKFLOW_PUBLIC_URL is not set: links in e-mails point at ${config.TASKFLOW_PUBLIC_URL}. Set it to the address people open TaskFlow at.`,
    )
  }

  let closing: Promise<void> | undefined
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    sync,
    runNotificationTick: () => scheduler.tick(),
    idle: async () => {
      await hub.idle()
      await derivations.drain()
      // After the drain: a compaction it finished may have started thinning.
      await updateLog.thinningIdle()
      await webhooks.idle()
      await notifications.notifier.idle()
      await afterResponse.idle()
    },
    syncStats: () => hub.stats(),
    collectAttachments: () => attachments.collect(),
    rebuildProjection: async (projectId) => {
      await derivations.drain()
      await rebuildProjection(db, projectId, await reads.storedLog(projectId), now)
      // Its fold knew the old rows: the next run starts from the rebuilt ones.
      derivations.forget(projectId)
    },
    close: () => {
      closing ??= (async () => {
        // Stop accepting first; upgraded sockets keep the HTTP server open until hub.close().
        stopAcceptingSync()
        const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()))
        ;(server as Server).closeIdleConnections()
        await hub.close()
        await compactionEncoder.close()
        await cluster?.close()
        await closeSharedLimits(config)
        await updateLog.stop()
        await derivations.stop()
        await webhooks.stop()
        await scheduler.stop()
        await attachments.stop()
        // Sign-up and reset mail already promised to a client is written before the db closes.
        await afterResponse.idle()
        // Open notification streams keep their connections busy: end them, then drop each
        // connection as soon as it goes idle instead of waiting for the keep-alive timeout
        // (an ended stream's connection turns idle a few turns later, not at once).
        notifications.hub.closeAll()
        ;(server as Server).closeIdleConnections()
        const sweep = setInterval(() => (server as Server).closeIdleConnections(), 10)
        await httpClosed
        clearInterval(sweep)
        await storage.close()
      })()
      return closing
    },
  }
}
