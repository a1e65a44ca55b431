/**
 * Account-existence timing (issue 19). Starts a real server (src/main.ts in its own
 * process, port 0, temp SQLite, mail to the outbox table) and sends, interleaved in random
 * order, the same request for a known address and for an unknown one: login with a wrong
 * password, password-reset request and registration. Prints the median response time of
 * each side and their difference; the goal is |difference| < 5 ms. Not a test: figures
 * depend on the machine.
 *
 * The server is another process, as for a real client: the mail a request leaves for after
 * its answer runs there, and nothing here waits for it. Every request comes from its own
 * `X-Forwarded-For` address (TASKFLOW_TRUST_PROXY=1) and every known address is used once
 * per endpoint, so no rate limit or login throttle answers 429 (they are not measured).
 *
 * Run: pnpm --filter @taskflow/sync-server bench:auth-timing   (ROUNDS=200)
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import SQLite from 'better-sqlite3'

const ROUNDS = Number(process.env.ROUNDS ?? 200)
const WARMUP = 5
const PASSWORD = 'correct horse battery'

const dir = mkdtempSync(join(tmpdir(), 'taskflow-auth-timing-'))
const dbFile = join(dir, 'bench.db')
const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  env: {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    TASKFLOW_DB: dbFile,
    TASKFLOW_TRUST_PROXY: '1',
    // The no-enumeration sign-up is what is measured (off answers 409 for a known address).
    TASKFLOW_EMAIL_VERIFICATION: 'required',
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
  },
  stdio: ['ignore', 'ignore', 'pipe'],
})
const port = await new Promise<number>((resolve, reject) => {
  let buf = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    // Read to the end: a full pipe would stall the server.
    if (buf.length < 100_000) buf += chunk.toString()
    const m = /"msg":"listening","port":(\d+)/.exec(buf)
    if (m) resolve(Number(m[1]))
  })
  child.once('exit', (code) => reject(new Error(`server exited (${code}): ${buf}`)))
})
const url = `http://127.0.0.1:${port}`

let ip = 0
async function post(path: string, body: unknown): Promise<{ status: number; ms: number }> {
  ip++
  const from = `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`
  const t0 = performance.now()
  const res = await fetch(`${url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify(body),
  })
  await res.arrayBuffer()
  return { status: res.status, ms: performance.now() - t0 }
}

/** The newest verification link mailed to `email`, polled (it is written after the answer). */
async function verificationToken(email: string): Promise<string> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const db = new SQLite(dbFile, { readonly: true })
    const row = db
      .prepare<[string], { text: string }>(
        'SELECT text FROM mail_outbox WHERE to_address = ? ORDER BY id DESC LIMIT 1',
      )
      .get(email)
    db.close()
    const token = /verify-email\/([A-Za-z0-9_-]{43})/.exec(row?.text ?? '')?.[1]
    if (token) return token
    if (Date.now() > deadline) throw new Error(`no verification mail to ${email}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** A verified account: the first one signs in at once, the others through their link. */
async function account(email: string): Promise<void> {
  const r = await post('/auth/register', { email, password: PASSWORD, name: 'Known' })
  if (r.status === 201) return
  const v = await post('/auth/verify-email', { token: await verificationToken(email) })
  if (v.status !== 200) throw new Error(`could not verify ${email}: ${v.status}`)
}

await account('admin@example.org')
const KNOWN = Array.from({ length: ROUNDS + WARMUP }, (_, i) => `known-${i}@example.org`)
for (const email of KNOWN) await account(email)

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

type Case = {
  name: string
  expect: number
  request: (email: string) => [string, unknown]
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

console.log(`auth timing, ${ROUNDS} interleaved pairs per endpoint, server ${url}\n`)
console.log('| endpoint | known median (ms) | unknown median (ms) | difference (ms) |')
console.log('|---|---:|---:|---:|')
let worst = 0
let n = 0
for (const c of CASES) {
  const known: number[] = []
  const unknown: number[] = []
  for (let i = -WARMUP; i < ROUNDS; i++) {
    // Random order inside each pair, so drift and after-answer work fall on both sides alike.
    const order = Math.random() < 0.5 ? ['known', 'unknown'] : ['unknown', 'known']
    for (const side of order) {
      const email = side === 'known' ? KNOWN[i + WARMUP]! : `nobody-${n++}@example.org`
      const [path, body] = c.request(email)
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
child.kill('SIGTERM')
await new Promise((r) => child.once('exit', r))
rmSync(dir, { recursive: true, force: true })
