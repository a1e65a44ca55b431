import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createApp } from './app.js'
import type { Config } from './config.js'
import { openDatabase } from './db/database.js'
import { migrateToLatest } from './db/migrate.js'
import { createLogger, type Logger } from './logger.js'

export interface RunningServer {
  port: number
  url: string
  /** Graceful stop: stop accepting, flush, close sockets with 1012, close the database. */
  close: () => Promise<void>
}

/** Opens the database, migrates, and listens. Used by main.ts and by tests (PORT=0). */
export async function startServer(
  config: Config,
  logger: Logger = createLogger(config.LOG_LEVEL),
): Promise<RunningServer> {
  const { db, sqlite } = openDatabase(config.TASKFLOW_DB)
  let ready = false
  const app = createApp({ config, db, logger, isReady: () => ready })
  await migrateToLatest(db)
  ready = true

  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST })
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const port = (server.address() as AddressInfo).port
  logger.info('listening', { port, db: config.TASKFLOW_DB })

  let closing: Promise<void> | undefined
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () => {
      closing ??= (async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()))
        await db.destroy()
        if (sqlite.open) sqlite.close()
      })()
      return closing
    },
  }
}
