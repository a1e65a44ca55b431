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
// STALL_GAPS_MS=40: also print (to stderr, at `report`) each gap between two 5 ms ticks longer
// than that, with its end on the clock of a --cpu-prof profile (µs), to find what filled it.
const gapMs = Number(process.env.STALL_GAPS_MS ?? 0)
const gaps: { endUs: number; ms: number }[] = []
if (gapMs > 0) {
  let last = performance.now()
  setInterval(() => {
    const now = performance.now()
    if (now - last > gapMs)
      gaps.push({ endUs: Number(process.hrtime.bigint() / 1000n), ms: Math.round(now - last) })
    last = now
  }, 5).unref()
}
const config = parseConfig(process.env)
const server = await startServer(config, createLogger(config.LOG_LEVEL))
console.log(`PORT=${server.port}`)
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'reset') {
    h.reset()
    gaps.length = 0
  }
  if (line === 'report') {
    const ms = (ns: number) => Math.round(ns / 1e5) / 10
    console.log(`STALL ${JSON.stringify({ maxMs: ms(h.max), p99Ms: ms(h.percentile(99)) })}`)
    if (gapMs > 0) console.error(`GAPS ${process.pid} ${JSON.stringify(gaps)}`)
  }
  if (line === 'stop') void server.close().then(() => process.exit(0))
})
