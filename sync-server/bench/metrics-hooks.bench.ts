// What the metrics hooks cost on the relay path, isolated from machine noise: one
// `committed()` per group-commit batch (2 counters, 2 histograms) and the three
// performance.now() reads GroupCommit adds, plus one `closed()` per socket close.
//   npx tsx bench/metrics-hooks.bench.ts
import { PrometheusMetrics } from '../src/metrics/metrics.js'

const metrics = new PrometheusMetrics()
const N = 2_000_000
function time(label: string, fn: (i: number) => void): void {
  for (let i = 0; i < 100_000; i++) fn(i) // warm-up
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < N; i++) fn(i)
  const ns = Number(process.hrtime.bigint() - t0) / N
  console.log(`${label}: ${ns.toFixed(1)} ns per call`)
}
time('committed(1 update) + 3 × performance.now()', (i) => {
  const a = performance.now()
  const b = performance.now()
  metrics.committed(1, 60 + (i & 7), (b - a) / 1000, (performance.now() - a) / 1000)
})
time('closed(code)', (i) => metrics.closed(i & 1 ? 1000 : 1001))
time('baseline: 3 × performance.now()', () => {
  performance.now()
  performance.now()
  performance.now()
})
const t0 = process.hrtime.bigint()
await metrics.registry.metrics()
const scrapes = 50
const t1 = process.hrtime.bigint()
for (let i = 0; i < scrapes; i++) await metrics.registry.metrics()
console.log(
  `scrape (default process metrics + taskflow_*, no hub): ${(Number(process.hrtime.bigint() - t1) / scrapes / 1e6).toFixed(2)} ms (first ${(Number(t1 - t0) / 1e6).toFixed(2)} ms)`,
)
