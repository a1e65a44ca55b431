// Presence inflation (issue 12 item 3, sync SPEC 4.2/4.7): one socket sends `--entries`
// fake awareness entries while a watcher keeps the room open. Prints the server's RSS
// idle / after the flood / after the flooder left, and what a joiner receives as its first
// awareness message (entries, bytes).
//
//   node build.mjs && node bench/awareness-flood.mjs [--entries 1000000] [--bundle dist/main.js] [--port 12343]
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '1000000' },
    bundle: { type: 'string', default: 'dist/main.js' },
    port: { type: 'string', default: '12343' },
  },
})
const ENTRIES = Number(values.entries)
const PER_MESSAGE = 100_000
const serverRoot = fileURLToPath(new URL('..', import.meta.url))
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const rssMiB = (pid) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024

async function socket(url) {
  const ws = new WebSocket(url)
  const received = []
  ws.on('message', (d) => received.push(new Uint8Array(d)))
  await new Promise((res, rej) => {
    ws.once('open', res)
    ws.once('error', rej)
  })
  return { ws, received }
}

/** First awareness message in `received`: its bytes and number of entries. */
function firstAwareness(received) {
  for (const m of received) {
    const d = decoding.createDecoder(m)
    if (decoding.readVarUint(d) !== 1) continue
    const u = decoding.createDecoder(decoding.readVarUint8Array(d))
    return { bytes: m.length, entries: decoding.readVarUint(u) }
  }
  return null
}

function floodMessage(from, count) {
  const enc = encoding.createEncoder()
  encoding.writeVarUint(enc, 1) // awareness
  const inner = encoding.createEncoder()
  encoding.writeVarUint(inner, count)
  for (let i = 0; i < count; i++) {
    encoding.writeVarUint(inner, from + i)
    encoding.writeVarUint(inner, 1)
    encoding.writeVarString(inner, '{"user":{"name":"x"}}')
  }
  encoding.writeVarUint8Array(enc, encoding.toUint8Array(inner))
  return encoding.toUint8Array(enc)
}

async function waitFor(cond, ms, label) {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timeout: ${label}`)
    await sleep(10)
  }
}

const dir = mkdtempSync(join(tmpdir(), 'tf-flood-'))
const child = spawn(process.execPath, [resolve(serverRoot, values.bundle)], {
  env: {
    ...process.env,
    PORT: values.port,
    HOST: '127.0.0.1',
    TASKFLOW_DB: join(dir, 'taskflow.db'),
    TASKFLOW_INSECURE_OPEN: '1',
    LOG_LEVEL: 'warn',
  },
  stdio: 'ignore',
})
try {
  const url = `ws://127.0.0.1:${values.port}/sync/flood`
  await sleep(2000)
  const idle = rssMiB(child.pid)
  const watcher = await socket(url)
  const flooder = await socket(url)
  for (let sent = 0; sent < ENTRIES; sent += PER_MESSAGE) {
    flooder.ws.send(floodMessage(sent + 1, Math.min(PER_MESSAGE, ENTRIES - sent)))
  }
  // Handled in order: the answer to this query comes after the whole flood.
  const isAwareness = (m) => m[0] === 1
  const before = flooder.received.filter(isAwareness).length
  flooder.ws.send(new Uint8Array([3]))
  await waitFor(
    () => flooder.received.filter(isAwareness).length > before,
    120_000,
    'flood handled',
  )
  const flooded = rssMiB(child.pid)
  const joiner = await socket(url)
  await waitFor(() => firstAwareness(joiner.received), 60_000, 'joiner presence')
  const joined = firstAwareness(joiner.received)
  flooder.ws.close()
  joiner.ws.close()
  await sleep(3000)
  const left = rssMiB(child.pid)
  const r1 = (x) => Math.round(x)
  console.log(`entries sent: ${ENTRIES} (${values.bundle})`)
  console.log(
    '| RSS idle | after flood | 3 s after flooder left | joiner: entries | joiner: bytes |',
  )
  console.log('|---:|---:|---:|---:|---:|')
  console.log(
    `| ${r1(idle)} MiB | ${r1(flooded)} MiB | ${r1(left)} MiB | ${joined.entries} | ${joined.bytes} |`,
  )
  watcher.ws.close()
} finally {
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
  rmSync(dir, { recursive: true, force: true })
}
