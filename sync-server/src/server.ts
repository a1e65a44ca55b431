import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { type CompositionSeams, composeServer } from './composition.js'
import type { Config } from './config.js'
import { createLogger, type Logger } from './logger.js'
import type { SyncControl } from './sync/access.js'
import type { SyncStats } from './sync/sync-hub.js'
import { attachSyncWebSocket } from './sync/ws-server.js'

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

/** Optional overrides, for tests and benchmarks: the seams of the one assembly. */
export type ServerDeps = CompositionSeams

/** Composes the server (composition.ts), migrates, and listens. Used by main.ts and by tests (PORT=0). */
export async function startServer(
  config: Config,
  logger: Logger = createLogger(config.LOG_LEVEL),
  deps: ServerDeps = {},
): Promise<RunningServer> {
  const composed = composeServer(config, logger, deps)
  await composed.open()

  const server = serve({ fetch: composed.app.fetch, port: config.PORT, hostname: config.HOST })
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
  await composed.startBackground()
  const stopAcceptingSync = attachSyncWebSocket(
    server as Server,
    composed.hub,
    config.TASKFLOW_MAX_MESSAGE_BYTES,
    logger,
  )
  logger.info('listening', {
    port,
    db:
      composed.storage.dialect === 'sqlite'
        ? config.TASKFLOW_DB
        : 'postgres (TASKFLOW_DATABASE_URL)',
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
    sync: composed.sync,
    runNotificationTick: composed.runNotificationTick,
    idle: composed.idle,
    syncStats: () => composed.hub.stats(),
    collectAttachments: composed.collectAttachments,
    rebuildProjection: composed.rebuildProjection,
    close: () => {
      closing ??= (async () => {
        // Stop accepting first; upgraded sockets keep the HTTP server open until hub.close().
        stopAcceptingSync()
        const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()))
        ;(server as Server).closeIdleConnections()
        // Sockets, background work, promised mail, then notification streams end.
        await composed.shutdown()
        // Open notification streams kept their connections busy: drop each connection as
        // soon as it goes idle instead of waiting for the keep-alive timeout (an ended
        // stream's connection turns idle a few turns later, not at once).
        ;(server as Server).closeIdleConnections()
        const sweep = setInterval(() => (server as Server).closeIdleConnections(), 10)
        await httpClosed
        clearInterval(sweep)
        await composed.storage.close()
      })()
      return closing
    },
  }
}
