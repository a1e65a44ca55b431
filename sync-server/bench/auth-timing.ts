/**
 * Account-existence timing (issue 19). Starts a real server on port 0 (temp SQLite, mail to
 * the outbox table) and sends, interleaved in random order, the same request for a known
 * address and for an unknown one: login with a wrong password, password-reset request and
 * registration. Prints the median response time of each side and their difference; the
 * goal is |difference| < 5 ms. Not a test: figures depend on the machine.
 *
 * The server's injected clock jumps a day before every request, so rate limits and the
 * login throttle never answer 429 (the limits are not what is measured). Nothing waits for
 * the mail a request leaves for after its answer, as an attacker would not either.
 *
 * Run: pnpm --filter @taskflow/sync-server bench:auth-timing   (ROUNDS=200)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import SQLite from 'better-sqlite3'
import { parseConfig } from '../src/config.js'
import { startServer } from '../src/server.js'

const ROUNDS = Number(process.env.ROUNDS ?? 200)
const PASSWORD = 'correct horse battery'
const DAY = 86_400_000

const dir = mkdtempSync(join(tmpdir(), 'taskflow-auth-timing-'))
const dbFile = join(dir, 'bench.db')
let skew = 0
const server = await startServer(
  parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    TASKFLOW_DB: dbFile,
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
  }),
  undefined,
  { now: () => Date.now() + skew },
)

async function post(path: string, body: unknown): Promise<{ status: number; ms: number }> {
  skew += DAY
  const t0 = performance.now()
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  await res.arrayBuffer()
  return { status: res.status, ms: performance.now() - t0 }
}

/** A verified account: the first one signs in at once, the next through its mailed link. */
async function account(email: string): Promise<void> {
  const r = await post('/auth/register', { email, password: PASSWORD, name: 'Known' })
  if (r.status === 201) return
  await server.idle()
  const db = new SQLite(dbFile, { readonly: true })
  const row = db
    .prepare<[string], { text: string }>(
      'SELECT text FROM mail_outbox WHERE to_address = ? ORDER BY id DESC LIMIT 1',
    )
    .get(email)
  db.close()
  const token = /verify-email\/([A-Za-z0-9_-]{43})/.exec(row?.text ?? '')?.[1]
  const v = await post('/auth/verify-email', { token })
  if (v.status !== 200) throw new Error(`could not verify ${email}: ${v.status}`)
}

await account('admin@example.org')
await account('known@example.org')

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

type Case = {
  name: string
  expect: number
  request: (email: string, i: number) => [string, unknown]
}
const CASES: Case[] = [
  {
    name: 'login (wrong password vs unknown e-mail)',
    expect: 401,
    request: (email) => ['/auth/login', { email, password: 'not the password at all' }],
  },
  {
    name: 'password-reset request',
    expect: 202,
    request: (email) => ['/auth/password-reset/request', { email }],
  },
  {
    name: 'register',
    expect: 202,
    request: (email) => ['/auth/register', { email, password: PASSWORD, name: 'Someone' }],
  },
]

console.log(`auth timing, ${ROUNDS} interleaved pairs per endpoint, server ${server.url}\n`)
console.log('| endpoint | known median (ms) | unknown median (ms) | difference (ms) |')
console.log('|---|---:|---:|---:|')
let worst = 0
let n = 0
for (const c of CASES) {
  const known: number[] = []
  const unknown: number[] = []
  for (let i = -5; i < ROUNDS; i++) {
    // Random order inside each pair, so drift and after-answer work fall on both sides alike.
    const order = Math.random() < 0.5 ? ['known', 'unknown'] : ['unknown', 'known']
    for (const side of order) {
      const email = side === 'known' ? 'known@example.org' : `nobody-${n++}@example.org`
      const [path, body] = c.request(email, i)
      const r = await post(path, body)
      if (r.status !== c.expect) throw new Error(`${c.name} ${side}: ${r.status}`)
      if (i < 0) continue // warm-up
      ;(side === 'known' ? known : unknown).push(r.ms)
    }
  }
  const diff = median(known) - median(unknown)
  worst = Math.max(worst, Math.abs(diff))
  console.log(
    `| ${c.name} | ${median(known).toFixed(2)} | ${median(unknown).toFixed(2)} | ${diff >= 0 ? '+' : ''}${diff.toFixed(2)} |`,
  )
}
console.log(`\nlargest |difference|: ${worst.toFixed(2)} ms (goal < 5 ms)`)
await server.close()
rmSync(dir, { recursive: true, force: true })
