import { ConfigError, parseConfig } from './config.js'
import { createLogger } from './logger.js'
import { startServer } from './server.js'

// The only I/O entry point: reads the environment once, starts, and stops on signals.
async function main(): Promise<void> {
  let config: ReturnType<typeof parseConfig>
  try {
    config = parseConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`taskflow: ${err.message}\n`)
      process.exit(1)
    }
    throw err
  }
  const logger = createLogger(config.LOG_LEVEL)
  const server = await startServer(config, logger)
  const stop = (signal: string) => {
    logger.info('shutting down', { signal })
    server.close().then(
      () => process.exit(0),
      (err) => {
        logger.error('shutdown failed', { err: String(err) })
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', () => stop('SIGTERM'))
  process.once('SIGINT', () => stop('SIGINT'))
}

main().catch((err) => {
  process.stderr.write(`taskflow: failed to start: ${String(err)}\n`)
  process.exit(1)
})
