import type { Hono } from 'hono'
import { sql } from 'kysely'
import { activityConsumer } from './activity/activity.consumer.js'
import { createApp } from './app.js'
import { AttachmentCollector } from './attachments/attachment-collector.js'
import { BlobStore } from './attachments/blob-store.js'
import { type Clock, systemClock } from './clock.js'
import { ClusterNode, type ClusterTestHooks } from './cluster/cluster-node.js'
import { closeSharedLimits } from './cluster/shared-limits.js'
import type { Config } from './config.js'
import { type Db, openStorage, type Storage } from './db/database.js'
import { migrateToLatest } from './db/migrate.js'
import { createCommittedLog } from './derivation/committed-log.js'
import { eventsConsumer } from './derivation/consumer.js'
import { DatabaseLease } from './derivation/database-lease.js'
import { DerivationEngine } from './derivation/engine.js'
import { InlineFolder } from './derivation/folder.js'
import { INLINE_FOLD_MAX_BYTES, SizedFolder } from './derivation/sized-folder.js'
import { WorkerFolder } from './derivation/worker-folder.js'
import { DEFAULT_CHECKPOINT_UPDATES } from './history/checkpoint-policy.js'
import { historyConsumer } from './history/history.consumer.js'
import { createHistoryDeriver } from './history/history-deriver.js'
import type { IndexPacking } from './history/history-index-packs.js'
import { type AfterResponse, createAfterResponse } from './http/after-response.js'
import type { Logger } from './logger.js'
import { createMailer, type Mailer } from './mail/mailer.js'
import { PrometheusMetrics } from './metrics/metrics.js'
import {
  createNotificationsRuntime,
  type NotificationsRuntime,
} from './notifications/notifications.runtime.js'
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
import { SyncHub } from './sync/sync-hub.js'
import { type CompactionHooks, UpdateLog } from './sync/update-log.js'
import { DeliveryWorker } from './webhooks/delivery-worker.js'
import type { Lookup } from './webhooks/ssrf.js'
import { WebhooksSink } from './webhooks/webhooks.sink.js'

/**
 * What a caller may swap in the one assembly (issue 17). Production passes none; tests pass
 * the clock, the database, the mailer and the test hooks below — never parts of their own.
 */
export interface CompositionSeams {
  /** The server's one clock (SPEC 10.1), wired to every part below; default the wall clock. */
  now?: Clock
  /** An open database (tests); default the one the config names (TASKFLOW_DB / TASKFLOW_DATABASE_URL). */
  storage?: Storage
  /** Outgoing mail; default SMTP or the outbox table, per config. */
  mailer?: Mailer
  /** Decides sync access; default: sessions + project membership, or allow all when TASKFLOW_INSECURE_OPEN=1. */
  authorize?: Authorize
  /** Test seam to simulate a crash in the middle of compaction. */
  compactionHooks?: CompactionHooks
  /** Test seam: updates between history checkpoints (default DEFAULT_CHECKPOINT_UPDATES). */
  checkpointUpdates?: number
  /** Test seam: patches per compressed piece of stored board reads (default DEFAULT_PACK_ROWS). */
  boardPackRows?: number
  /** Test seam: how the task-history index is packed (default DEFAULT_INDEX_PACKING). */
  indexPacking?: IndexPacking
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

/** The assembled server, not yet listening: what startServer and the test API both run. */
export interface Composition {
  config: Config
  logger: Logger
  now: Clock
  storage: Storage
  db: Db
  /** The HTTP app (`/healthz`, `/api/v1`, the built client). */
  app: Hono
  /** The sync hub; sockets attach to it once the server listens. */
  hub: SyncHub
  /** Live-connection control for accounts code: the hub, or (after open) the cluster's wrapper of it. */
  readonly sync: SyncControl
  notifications: NotificationsRuntime
  afterResponse: AfterResponse
  /** Migrates, joins the cluster (Redis must answer) and backfills the search index; then ready. */
  open: () => Promise<void>
  /** Starts the background work of a serving node: scheduler, webhook deliveries, file collection, derivation catch-up. */
  startBackground: () => Promise<void>
  /** Runs the notification scheduler once now (due tasks, digests, unsent mail). */
  runNotificationTick: () => Promise<void>
  /** See RunningServer.idle. */
  idle: () => Promise<void>
  /** Runs the attachment garbage collection now (by the injected clock); the deleted hashes. */
  collectAttachments: () => Promise<string[]>
  /** Rebuilds one project's reporting projection from its stored document and log. */
  rebuildProjection: (projectId: string) => Promise<void>
  /** Stops sockets, background work and streams; the database stays open (closeStorage). */
  shutdown: () => Promise<void>
}

/**
 * The one place the server is wired (issue 17): config → database → stores → services →
 * routes → sync, once. main.ts (through startServer), every test helper and the benchmark
 * servers call this; none builds parts of its own. No listening here: startServer owns ports.
 */
export function composeServer(
  config: Config,
  logger: Logger,
  seams: CompositionSeams = {},
): Composition {
  // The one place the clock is chosen (SPEC 10.1): every part below takes this `now`.
  const now = seams.now ?? systemClock
  // SQLite (TASKFLOW_DB) by default, Postgres with TASKFLOW_DATABASE_URL (issue 17).
  const storage = seams.storage ?? openStorage(config)
  const { db } = storage
  const metrics = config.TASKFLOW_METRICS === '1' ? new PrometheusMetrics() : undefined
  let ready = false
  // Several nodes (TASKFLOW_REDIS_URL): joined in open(), before the server listens.
  const cluster = config.TASKFLOW_REDIS_URL
    ? new ClusterNode({
        redisUrl: config.TASKFLOW_REDIS_URL,
        prefix: config.TASKFLOW_REDIS_PREFIX,
        db,
        now,
        logger,
        ...seams.cluster,
      })
    : undefined
  const mailer = seams.mailer ?? createMailer(config, db, logger, now, metrics)
  const notifications = createNotificationsRuntime({ config, db, logger, mailer })
  const afterResponse = createAfterResponse(logger)
  // Webhook deliveries leave from a durable outbox, off the relay path; started below.
  const webhooks = new DeliveryWorker({
    db,
    now,
    logger,
    allowPrivate: config.TASKFLOW_WEBHOOK_ALLOW_PRIVATE === '1',
    concurrency: config.TASKFLOW_WEBHOOK_CONCURRENCY,
    lookup: seams.webhookLookup,
  })
  // Deliveries leave only from a serving node (startBackground): the in-process test API
  // composes the same worker but sends nothing out.
  let background = false
  const wakeWebhooks = () => {
    if (background) webhooks.wake()
  }
  // One store for uploads and the collector: they share its per-file locks.
  const blobStore = new BlobStore(config.TASKFLOW_FILES)
  // One history deriver for the API's reads and the engine's history consumer.
  const historyDeriver = createHistoryDeriver({
    db,
    now,
    days: config.TASKFLOW_HISTORY_DAYS,
    logger,
    ...(seams.boardPackRows === undefined ? {} : { boardPackRows: seams.boardPackRows }),
    ...(seams.indexPacking === undefined ? {} : { indexPacking: seams.indexPacking }),
  })
  const authorize =
    seams.authorize ??
    (config.TASKFLOW_INSECURE_OPEN === '1' ? insecureOpenAuthorize : createSyncAuthorize(db, now))
  const reads = createProjectionReads(db)
  // One engine derives everything from the committed log, off the relay path (rule 8).
  const derivations = new DerivationEngine({
    db,
    log: createCommittedLog(db),
    logger,
    now,
    debounceMs: config.TASKFLOW_PROJECTION_DEBOUNCE_MS,
    // The Yjs work of a first projection takes seconds on a 10,000-task board: off this loop
    // (small boards fold here: the worker's copies cost more than their few ms).
    folder: new SizedFolder(new InlineFolder(), new WorkerFolder(logger), INLINE_FOLD_MAX_BYTES),
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
      eventsConsumer('webhooks', new WebhooksSink(now, wakeWebhooks)),
      historyConsumer(historyDeriver),
    ],
  })
  const scheduler = new NotificationScheduler({
    db,
    notifier: notifications.notifier,
    logger,
    now,
    intervalMs: config.TASKFLOW_NOTIFY_TICK_MS,
  })
  const attachments = new AttachmentCollector({
    db,
    store: blobStore,
    now,
    logger,
    retentionDays: config.TASKFLOW_ATTACHMENT_RETENTION_DAYS,
  })
  // With history, compaction writes a large state in parts of 256 KiB, each its own short
  // transaction (sync/state-parts.ts): group commits take the lock in between (issue 18).
  const updateLog = new UpdateLog(db, now, seams.compactionHooks, {
    days: config.TASKFLOW_HISTORY_DAYS,
    checkpointUpdates: seams.checkpointUpdates ?? DEFAULT_CHECKPOINT_UPDATES,
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
    ...(seams.clientBindings === null
      ? {}
      : { clientBindings: seams.clientBindings ?? new ClientBindingStore(db) }),
    apiClients: new ApiClientStore(db),
    metrics,
    encoder: compactionEncoder,
    cluster: cluster?.hub,
  })
  // With several nodes, access changes reach every node's sockets and streams: set in open().
  let sync: SyncControl = hub
  metrics?.watchSync(hub)
  metrics?.watchDerivations(db)
  const app = createApp({
    historyDeriver,
    blobStore,
    wakeWebhooks,
    webhookLookup: seams.webhookLookup,
    afterResponse,
    notifications,
    mailer,
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
    getSync: () => sync,
    now,
    metrics,
    checkResponses: seams.checkResponses,
  })

  return {
    config,
    logger,
    now,
    storage,
    db,
    app,
    hub,
    get sync() {
      return sync
    },
    notifications,
    afterResponse,
    open: async () => {
      await migrateToLatest(db)
      // Redis must answer before this node serves anything: start-up fails otherwise.
      if (cluster) {
        await cluster.start()
        sync = cluster.attach(hub, notifications.hub)
      }
      // Before rooms and the projector start, so nothing else writes the index meanwhile.
      await backfillSearchIndex(db, reads, logger)
      ready = true
    },
    startBackground: async () => {
      background = true
      scheduler.start()
      webhooks.start()
      await attachments.start()
      // SPEC 3.5: reports and activity are right after a crash without anyone opening a board.
      void derivations.catchUp()
    },
    runNotificationTick: () => scheduler.tick(),
    idle: async () => {
      await hub.idle()
      await derivations.drain()
      // After the drain: a compaction it finished may have started thinning.
      await updateLog.thinningIdle()
      await historyDeriver.idle()
      if (background) await webhooks.idle()
      await notifications.notifier.idle()
      await afterResponse.idle()
    },
    collectAttachments: () => attachments.collect(),
    rebuildProjection: async (projectId) => {
      await derivations.drain()
      await rebuildProjection(db, projectId, await reads.storedLog(projectId), now)
      // Its fold knew the old rows: the next run starts from the rebuilt ones.
      derivations.forget(projectId)
    },
    shutdown: async () => {
      await hub.close()
      await compactionEncoder.close()
      await cluster?.close()
      await closeSharedLimits(config)
      await updateLog.stop()
      await derivations.stop()
      await historyDeriver.stop()
      if (background) {
        await webhooks.stop()
        await scheduler.stop()
        await attachments.stop()
      }
      // Sign-up and reset mail already promised to a client is written before the db closes.
      await afterResponse.idle()
      notifications.hub.closeAll()
    },
  }
}
