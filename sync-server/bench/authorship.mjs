// Server CPU per delivered update with the authorship check on vs off (issue 7: < 5 %),
// in the shared harness's relay benchmark (50 clients, signed in through SETUP_CMD so the
// check runs on every update). Runs alternate on/off, each on a fresh server, so both
// modes see the same machine noise; prints medians (min–max).
//
//   node bench/authorship.mjs            # REPS=5 CLIENTS=50
//
// Env: BENCH_DIR (installed harness, default /tmp/tf-bench), OUT_DIR
// (default /tmp/tf-authorship-bench), REPS (5), CLIENTS (50), PORT (23791).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const serverRoot = fileURLToPath(new URL('..', import.meta.url))
const dir = process.env.BENCH_DIR ?? '/tmp/tf-bench'
const out = process.env.OUT_DIR ?? '/tmp/tf-authorship-bench'
const reps = Number(process.env.REPS ?? 5)
const clients = process.env.CLIENTS ?? '50'
// Off the harness's default (12340): a second harness on one port measures the wrong server.
const port = process.env.PORT ?? '23791'

if (!existsSync(`${dir}/node_modules`)) throw new Error(`install the harness in ${dir} first`)
mkdirSync(out, { recursive: true })

const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)
const raw = { on: `${out}/raw-on-${stamp}.jsonl`, off: `${out}/raw-off-${stamp}.jsonl` }
for (let rep = 0; rep < reps; rep++) {
  for (const mode of rep % 2 === 0 ? ['on', 'off'] : ['off', 'on']) {
    // The product has no switch for the check: bench/variant-server.ts starts the production
    // server without it (BENCH_AUTHORSHIP=off), and with it for the other half.
    const serverCmd = [
      `env BENCH_AUTHORSHIP=${mode} HOST=127.0.0.1 LOG_LEVEL=warn`,
      'TASKFLOW_APP_DIR= TASKFLOW_DB=$DATA_DIR/taskflow.db',
      `node --import tsx ${serverRoot}bench/variant-server.ts`,
    ].join(' ')
    // A failed run (e.g. the port was taken) is reported below, not fatal.
    spawnSync('bash', ['run-all.sh'], {
      stdio: 'inherit',
      cwd: dir,
      env: {
        ...process.env,
        REPS: '1',
        CLIENTS: clients,
        TASKS: '200', // the load benchmark runs too; it is not what this measures
        VARIANTS: 'custom',
        PORT: port,
        SERVER_CMD: serverCmd,
        SERVER_URL: `ws://127.0.0.1:${port}/sync`,
        SETUP_CMD: `node ${serverRoot}bench/authorship-setup.mjs`,
        RAW: raw[mode],
        OUT: `${out}/report-${mode}-${stamp}.md`,
      },
    })
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const fmt = (xs, d) =>
  `${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)})`
const rows = {}
for (const mode of ['on', 'off']) {
  const runs = (existsSync(raw[mode]) ? readFileSync(raw[mode], 'utf8') : '')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((r) => r.bench === 'relay')
  // No CPU sample means the measured PID was not the server that answered: discard.
  const discarded = runs.filter((r) => r.server?.cpu_s_edits == null).length
  if (discarded > 0)
    console.log(`${mode}: ${discarded} run(s) without a server CPU sample discarded`)
  runs.splice(0, runs.length, ...runs.filter((r) => r.server?.cpu_s_edits != null))
  rows[mode] = {
    n: runs.length,
    usPerDelivery: runs.map((r) => (r.server.cpu_s_edits * 1e6) / r.deliveries),
    cpuS: runs.map((r) => r.server.cpu_s_edits),
    p99: runs.map((r) => r.fanout_ms.p99),
    incomplete: runs.map((r) => r.incomplete),
    converged: runs.every((r) => r.converged),
  }
}
console.log(`\nrelay, ${clients} clients, ${reps} runs per mode (raw: ${raw.on}, ${raw.off})`)
console.log(
  '| check | runs | server CPU µs / delivery | server CPU s (edit phase) | fan-out p99 ms | incomplete | converged |',
)
console.log('|---|---:|---:|---:|---:|---:|---|')
for (const mode of ['on', 'off']) {
  const r = rows[mode]
  console.log(
    `| ${mode} | ${r.n} | ${fmt(r.usPerDelivery, 2)} | ${fmt(r.cpuS, 2)} | ${fmt(r.p99, 1)} | ${Math.max(...r.incomplete)} | ${r.converged} |`,
  )
}
const overhead = median(rows.on.usPerDelivery) / median(rows.off.usPerDelivery) - 1
console.log(
  `\nauthorship check overhead (median on / median off − 1): ${(overhead * 100).toFixed(1)} %`,
)
