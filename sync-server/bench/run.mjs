// Runs the shared Yjs sync benchmark (../shared/bench, copied to a scratch folder because it
// is read-only) against this server beside the reference servers, in the same run, then the
// RSS-after-grace check the harness does not cover. Prints where the report went.
//
//   pnpm --filter @taskflow/sync-server bench
//   REPS=1 CLIENTS=50 VARIANTS=custom pnpm --filter @taskflow/sync-server bench   # quick
//
// Env: BENCH_SRC (default /work/shared/bench), BENCH_DIR (default /tmp/tf-bench), REPS (3),
// CLIENTS ("50 200"), VARIANTS ("ywss-mem hocuspocus-sqlite custom"), SKIP_GRACE=1.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const serverRoot = fileURLToPath(new URL('..', import.meta.url))
const src = process.env.BENCH_SRC ?? '/work/shared/bench'
const dir = process.env.BENCH_DIR ?? '/tmp/tf-bench'

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status})`)
}

run('node', ['build.mjs'], { cwd: serverRoot })
if (!existsSync(`${dir}/node_modules`)) {
  cpSync(src, dir, { recursive: true })
  run('npm', ['install', '--no-audit', '--no-fund'], { cwd: dir }) // sqlite3 compiles (~2 min)
}

// The server runs as `pnpm start` runs it (same VAR=value prefix), but as its own process:
// `exec env …` keeps the measured PID the server's (run-all.sh measures $!).
const pkg = JSON.parse(readFileSync(`${serverRoot}package.json`, 'utf8'))
const startEnv = [...pkg.scripts.start.matchAll(/(\w+=\S+)\s/g)].map((m) => m[1]).join(' ')
const serverCmd = [
  `env ${startEnv} TASKFLOW_INSECURE_OPEN=1 HOST=127.0.0.1 LOG_LEVEL=warn`,
  'TASKFLOW_DB=$DATA_DIR/taskflow.db',
  `node ${serverRoot}dist/main.js`,
].join(' ')
run('bash', ['run-all.sh'], {
  cwd: dir,
  env: {
    ...process.env,
    REPS: process.env.REPS ?? '3',
    CLIENTS: process.env.CLIENTS ?? '50 200',
    VARIANTS: process.env.VARIANTS ?? 'ywss-mem hocuspocus-sqlite custom',
    SERVER_CMD: serverCmd,
    SERVER_URL: 'ws://127.0.0.1:12340/sync',
    SERVER_PERSISTENT: '1',
  },
})
if (process.env.SKIP_GRACE !== '1') run('node', ['bench/rss-after-grace.mjs'], { cwd: serverRoot })
console.log(`report: ${dir}/results/anchors-<date>.md (raw JSON lines beside it)`)
