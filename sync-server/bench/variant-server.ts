/**
 * The production server (startServer) for A/B benchmarks of one part that the product has
 * no setting for. BENCH_AUTHORSHIP=off runs without the client-ID authorship check
 * (bench/authorship.mjs). Start it as the measured process itself:
 *   node --import tsx bench/variant-server.ts
 */
import { parseConfig } from '../src/config.js'
import { createLogger } from '../src/logger.js'
import { startServer } from '../src/server.js'

const config = parseConfig(process.env)
const server = await startServer(config, createLogger(config.LOG_LEVEL), {
  ...(process.env.BENCH_AUTHORSHIP === 'off' ? { clientBindings: null } : {}),
})
const stop = () => void server.close().then(() => process.exit(0))
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
