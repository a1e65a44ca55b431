// Trello import of a 10,000-card board (issue 16: < 10 s), end to end over HTTP against
// a built server: upload, parse, map, build the board document, store it. A /healthz
// probe every 20 ms during each import measures how long the event loop was held (the
// longest probe answer). Prints the median (min–max) of REPS imports.
//
//   node bench/import-trello.mjs            # CARDS=10000 REPS=5
//
// Env: CARDS (10000), REPS (5), PORT (23811).
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const serverRoot = fileURLToPath(new URL('..', import.meta.url))
const cards = Number(process.env.CARDS ?? 10_000)
const reps = Number(process.env.REPS ?? 5)
const port = Number(process.env.PORT ?? 23811)
const base = `http://127.0.0.1:${port}`
// A bundle of its own, so a benchmark elsewhere that runs dist/main.js is not changed under it.
const bundle = `${serverRoot}node_modules/.import-bench/main.js`

/** A Trello board export shaped like Trello's (lists, cards, labels, checklists, actions). */
function trelloExport(n) {
  let seq = 0
  const t0 = 1_700_000_000
  const oid = (ts) => ts.toString(16).padStart(8, '0') + (++seq).toString(16).padStart(16, '0')
  const listNames = ['Backlog', 'Next', 'Doing', 'Review', 'Done']
  const lists = listNames.map((name, i) => ({
    id: oid(t0),
    name,
    closed: false,
    idBoard: 'b',
    pos: 16384 * (i + 1),
  }))
  const colors = ['green', 'yellow', 'orange', 'red', 'purple', 'blue', 'sky', 'lime', 'pink', null]
  const labels = colors.map((color, i) => ({
    id: oid(t0),
    idBoard: 'b',
    name: `Label ${i}`,
    color,
  }))
  const members = Array.from({ length: 5 }, (_, i) => ({
    id: oid(t0),
    fullName: `Member ${i}`,
    username: `member${i}`,
  }))
  const out = { cards: [], checklists: [], actions: [] }
  for (let i = 0; i < n; i++) {
    const id = oid(t0 + i * 60)
    out.cards.push({
      id,
      name: `Card ${i}: ${'fix the thing that broke '.slice(0, 10 + (i % 15))}`,
      desc: `Description of card ${i}. `.repeat(1 + (i % 8)),
      idList: lists[i % lists.length].id,
      closed: i % 20 === 0,
      pos: 16384 * (Math.floor(i / lists.length) + 1),
      due: i % 3 === 0 ? new Date((t0 + 86_400 * (i % 90)) * 1000).toISOString() : null,
      dueComplete: i % 6 === 0,
      start: null,
      dateLastActivity: new Date((t0 + i * 60 + 3600) * 1000).toISOString(),
      idLabels: [labels[i % 10].id, labels[(i * 7) % 10].id].filter(
        (x, j, a) => a.indexOf(x) === j,
      ),
      idMembers: i % 4 === 0 ? [members[i % 5].id] : [],
      attachments: i % 10 === 0 ? [{ name: 'spec.pdf', url: `https://example.org/${i}.pdf` }] : [],
    })
    if (i % 3 === 0) {
      const clId = oid(t0)
      out.checklists.push({
        id: clId,
        name: 'Checklist',
        idCard: id,
        pos: 16384,
        checkItems: Array.from({ length: 4 }, (_, k) => ({
          id: oid(t0),
          name: `Step ${k + 1}`,
          state: k < 2 ? 'complete' : 'incomplete',
          pos: 16384 * (k + 1),
        })),
      })
    }
    if (i % 5 === 0) {
      out.actions.push({
        id: oid(t0),
        type: 'commentCard',
        date: new Date((t0 + i * 60 + 120) * 1000).toISOString(),
        idMemberCreator: members[i % 5].id,
        data: { text: `Comment on card ${i}`, card: { id, name: `Card ${i}` } },
        memberCreator: { fullName: members[i % 5].fullName, username: members[i % 5].username },
      })
    }
  }
  return { id: oid(t0), name: `Bench board ${n}`, desc: '', lists, labels, members, ...out }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const fmt = (xs) =>
  `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`

// Until /healthz answers within 20 ms three times in a row: the previous import's
// derivation (reports, activity) has finished. Answers the longest answer seen, ms.
async function waitQuiet() {
  let quiet = 0
  let worst = 0
  while (quiet < 3) {
    const t = performance.now()
    try {
      await fetch(`${base}/healthz`)
    } catch {}
    const ms = performance.now() - t
    worst = Math.max(worst, ms)
    quiet = ms < 20 ? quiet + 1 : 0
    await new Promise((r) => setTimeout(r, 50))
  }
  return worst
}

async function waitUp() {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('server did not start')
}

const build = spawnSync('node', ['build.mjs'], {
  cwd: serverRoot,
  stdio: 'inherit',
  env: { ...process.env, BUILD_OUTFILE: bundle },
})
if (build.status !== 0) throw new Error('build failed')

const dataDir = mkdtempSync(join(tmpdir(), 'tf-import-bench-'))
const server = spawn('node', [bundle], {
  stdio: ['ignore', process.env.SERVER_LOG ? 'inherit' : 'ignore', 'inherit'],
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.SERVER_LOG ? 'info' : 'warn',
    TASKFLOW_APP_DIR: '',
    TASKFLOW_DB: join(dataDir, 'taskflow.db'),
    TASKFLOW_PROJECTS_PER_HOUR: '1000',
    TASKFLOW_EMAIL_VERIFICATION: 'off',
  },
})
try {
  await waitUp()
  const reg = await fetch(`${base}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: 'bench@example.org',
      password: 'bench password 1',
      name: 'Bench',
    }),
  })
  const { token } = await reg.json()
  if (!token) throw new Error(`register failed: ${reg.status}`)
  const body = JSON.stringify(trelloExport(cards))
  console.log(`${cards} cards, ${(body.length / 1e6).toFixed(1)} MB of JSON, ${reps} runs`)
  const times = []
  const stalls = []
  const derivation = []
  const derivationStalls = []
  for (let r = 0; r < reps; r++) {
    await waitQuiet()
    let probing = true
    let worst = 0
    const probe = (async () => {
      while (probing) {
        const t = performance.now()
        // A kept-alive socket the server closed meanwhile resets: that probe is retried.
        try {
          await fetch(`${base}/healthz`)
          worst = Math.max(worst, performance.now() - t)
        } catch {}
        await new Promise((res) => setTimeout(res, 20))
      }
    })()
    const t = performance.now()
    const res = await fetch(`${base}/api/v1/projects/import/trello`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    })
    const result = await res.json()
    times.push(performance.now() - t)
    probing = false
    await probe
    stalls.push(worst)
    if (res.status !== 201)
      throw new Error(`import failed: ${res.status} ${JSON.stringify(result)}`)
    const d = performance.now()
    derivationStalls.push(await waitQuiet())
    derivation.push(performance.now() - d)
    if (r === 0)
      console.log('imported:', JSON.stringify(result.imported), `skipped: ${result.skipped.length}`)
  }
  console.log(`import ms, median (min–max): ${fmt(times)}`)
  console.log(`longest /healthz answer during an import, ms: ${fmt(stalls)}`)
  console.log(
    `after the answer, until the server is quiet (reports + activity derive the new board), ms: ${fmt(derivation)}`,
  )
  console.log(`longest /healthz answer meanwhile, ms: ${fmt(derivationStalls)}`)
} finally {
  server.kill('SIGTERM')
  rmSync(dataDir, { recursive: true, force: true })
}
