/**
 * The production server (startServer, the composition main.ts runs) with an event-loop
 * delay histogram around it, for bench/first-projection-stall.ts. Commands on stdin, one per
 * line: `reset` clears the histogram, `report` prints `STALL {"maxMs":…,"p99Ms":…}`.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { parseConfig } from '../src/config.js'
import { createLogger } from '../src/logger.js'
import { startServer } from '../src/server.js'

const h = monitorEventLoopDelay({ resolution: 5 })
h.enable()
const config = parseConfig(process.env)
const server = await startServer(config, createLogger(config.LOG_LEVEL))
console.log(`PORT=${server.port}`)
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'reset') h.reset()
  if (line === 'report') {
    const ms = (ns: number) => Math.round(ns / 1e5) / 10
    console.log(`STALL ${JSON.stringify({ maxMs: ms(h.max), p99Ms: ms(h.percentile(99)) })}`)
  }
  if (line === 'stop') void server.close().then(() => process.exit(0))
})
