// Medians (min–max) per setting of an ab-env.sh run, and the per-round ratio B/A.
//   node bench/ab-summary.mjs /tmp/ab-durability.jsonl
import { readFileSync } from 'node:fs'

const rows = readFileSync(process.argv[2], 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l))
  .filter((r) => r.fanout_ms)
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const fmt = (xs) =>
  `${+median(xs).toFixed(2)} (${+Math.min(...xs).toFixed(2)}–${+Math.max(...xs).toFixed(2)})`
const metrics = {
  'fan-out p50 ms': (r) => r.fanout_ms.p50,
  p95: (r) => r.fanout_ms.p95,
  p99: (r) => r.fanout_ms.p99,
  max: (r) => r.fanout_ms.max,
  'server CPU s': (r) => r.server?.cpu_s_edits ?? Number.NaN,
  // The driver's own event-loop lag: tens of ms or more means latencies measure the machine.
  'driver lag p99 ms': (r) => r.driver.loop_lag_p99_ms,
}
const setting = (r) => r.label.replace(/^[AB] round \d+: /, '')
const variant = (r) => r.label[0]
const round = (r) => Number(/round (\d+)/.exec(r.label)?.[1])
const bySetting = new Map()
for (const r of rows) bySetting.set(setting(r), [...(bySetting.get(setting(r)) ?? []), r])

console.log(`| setting | runs | ${Object.keys(metrics).join(' | ')} | incomplete |`)
console.log(
  `|---|---:|${Object.keys(metrics)
    .map(() => '---:')
    .join('|')}|---:|`,
)
for (const [name, rs] of bySetting) {
  const cells = Object.values(metrics).map((f) => fmt(rs.map(f)))
  console.log(
    `| ${name} | ${rs.length} | ${cells.join(' | ')} | ${rs.reduce((n, r) => n + r.incomplete, 0)} |`,
  )
}
const rounds = new Map()
for (const r of rows) rounds.set(round(r), { ...rounds.get(round(r)), [variant(r)]: r })
const paired = [...rounds.values()].filter((p) => p.A && p.B)
if (paired.length) {
  console.log('\nper-round ratio B/A (median, min–max):')
  for (const [name, f] of Object.entries(metrics)) {
    console.log(`  ${name}: ${fmt(paired.map((p) => f(p.B) / f(p.A)))}`)
  }
}
