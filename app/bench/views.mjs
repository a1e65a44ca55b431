// Views on a 10,000-task board in the built app, headless Chromium (issue 15):
//   (a) a keystroke in the filter box → the filtered board / list painted (p95),
//   (b) the list view's first paint after the board is open (tab click → rows painted),
//   (c) scrolling the list to the bottom: the longest main-thread task,
//   (d) switching views (board ↔ list) → painted.
// Run after `vite build` (serves dist/ through the real server, as `pnpm start` does):
//
//   pnpm --filter @taskflow/app exec node bench/views.mjs
//   TASKS=10000 RUNS=5 node bench/views.mjs
//
// The page seeds the board through the board operations (bench-probe.ts) once, then each
// run is a fresh tab opening it from IndexedDB.
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { chromium } from 'playwright-core'

const TASKS = Number(process.env.TASKS ?? 10_000)
const RUNS = Math.max(3, Number(process.env.RUNS ?? 5))
const APP_DIR = process.env.APP_DIR ?? fileURLToPath(new URL('../dist', import.meta.url))
const SERVER_SRC = new URL('../../sync-server/src/', import.meta.url)

const requireFromServer = createRequire(new URL('../package.json', SERVER_SRC))
const tsxDir = dirname(requireFromServer.resolve('tsx/package.json'))
const { register } = await import(pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href)
register()
const { parseConfig } = await import(new URL('config.ts', SERVER_SRC).href)
const { startServer } = await import(new URL('server.ts', SERVER_SRC).href)

const tmp = mkdtempSync(join(tmpdir(), 'taskflow-views-bench-'))
const server = await startServer(
  parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    TASKFLOW_DB: join(tmp, 'taskflow.db'),
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    TASKFLOW_APP_DIR: APP_DIR,
  }),
)

async function api(path, token, body) {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method: body ? 'POST' : 'GET',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

const account = await api('/auth/register', null, {
  name: 'Bench',
  email: `bench-${Date.now().toString(36)}@example.org`,
  password: 'correct horse battery',
})
const project = await api('/projects', account.token, { name: 'Big board', description: '' })
const boardUrl = `${server.url}/projects/${project.id}`

const context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  headless: true,
  viewport: { width: 1280, height: 800 },
  serviceWorkers: 'block',
})

await context.addInitScript((session) => {
  if (!localStorage.getItem('taskflow.session')) localStorage.setItem('taskflow.session', session)
  const probe = { renders: {}, longTasks: [] }
  window.__taskflowBench = probe
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probe.longTasks.push([e.startTime, e.duration])
  }).observe({ type: 'longtask', buffered: true })
  /** Resolves after the next frame is painted (rAF, then a task after it). */
  probe.painted = () =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const ch = new MessageChannel()
        ch.port1.onmessage = () => resolve(performance.now())
        ch.port2.postMessage(0)
      }),
    )
  /** Waits frame by frame until `test()` holds, then for that frame's paint. */
  probe.until = (test) =>
    new Promise((resolve) => {
      const check = () => (test() ? probe.painted().then(resolve) : requestAnimationFrame(check))
      check()
    })
}, JSON.stringify(account))

// --- Seed through the board operations; wait until the server has every task.
{
  const page = await context.newPage()
  await page.goto(`${server.url}/projects`)
  await page.goto(boardUrl)
  await page.waitForFunction(
    () => window.__taskflowBench.board && document.querySelector('[data-testid="column"]'),
  )
  await page.waitForSelector('[data-testid="sync-indicator"][data-phase="saved"]')
  const t = Date.now()
  const made = await page.evaluate((n) => window.__taskflowBench.board.seed(n, 200), TASKS)
  if (made !== TASKS) throw new Error(`seeded ${made} of ${TASKS} tasks`)
  await page.waitForSelector(
    '[data-testid="sync-indicator"][data-phase="saved"][data-unsynced="0"]',
    { timeout: 300_000 },
  )
  console.error(`seeded ${made} tasks in ${Date.now() - t} ms`)
  await page.waitForTimeout(4_000)
  await page.close()
}

/** A fresh tab with the board open from IndexedDB and idle. */
async function openBoard() {
  const page = await context.newPage()
  await page.goto(boardUrl)
  await page.waitForFunction(
    () => performance.getEntriesByName('taskflow:local-loaded').length > 0,
    null,
    {
      timeout: 60_000,
    },
  )
  await page.waitForSelector('[data-testid="task-card"]')
  await page.waitForTimeout(1_500)
  return page
}

/** Types `text` key by key (Playwright keys), timing keydown → next painted frame in the page. */
async function timeKeys(page, keys) {
  const out = []
  for (const key of keys) {
    await page.evaluate(() => {
      const p = window.__taskflowBench
      p.keyDone = undefined
      document.addEventListener(
        'keydown',
        () => {
          const t0 = performance.now()
          p.painted().then((t) => {
            p.keyDone = t - t0
          })
        },
        { capture: true, once: true },
      )
    })
    await page.keyboard.press(key)
    await page.waitForFunction(() => window.__taskflowBench.keyDone !== undefined)
    out.push(await page.evaluate(() => window.__taskflowBench.keyDone))
    // About the pace of fast typing; lets the debounced URL update happen between some keys.
    await page.waitForTimeout(120)
  }
  return out
}

const WORD = 'review'
const typing = [...WORD, ...Array(WORD.length).fill('Backspace')]

/** Clicks a view tab in the page and times until the view's content is painted. */
function timeSwitch(page, kind) {
  return page.evaluate(async (kind) => {
    const p = window.__taskflowBench
    const selector = kind === 'list' ? '[data-testid="list-row"]' : '[data-testid="task-card"]'
    const t0 = performance.now()
    document.querySelector(`[data-testid="view-tab-${kind}"]`).click()
    const t = await p.until(() => document.querySelector(selector) !== null)
    return t - t0
  }, kind)
}

const results = { boardKeys: [], listKeys: [], listFirst: [], scrollLongest: [], switches: [] }
for (let run = 0; run < RUNS; run++) {
  const page = await openBoard()
  const box = page.getByTestId('filter-text')
  // (a) on the board
  await box.focus()
  results.boardKeys.push(...(await timeKeys(page, typing)))
  // (b) first list paint on the open board
  results.listFirst.push(await timeSwitch(page, 'list'))
  await page.waitForTimeout(500)
  // (a) on the list
  await box.focus()
  results.listKeys.push(...(await timeKeys(page, typing)))
  await page.waitForTimeout(500)
  const cdp = process.env.PROFILE ? await context.newCDPSession(page) : null
  if (cdp) {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.start')
  }
  // (c) scroll the 10k rows: wheel steps at ~60 Hz for 3 s, then to the bottom
  const since = await page.evaluate(() => performance.now())
  await page.mouse.move(640, 500)
  for (let i = 0; i < 180; i++) {
    await page.mouse.wheel(0, 1_200)
    await page.waitForTimeout(16)
  }
  await page.evaluate(() => {
    const el = document.querySelector('[data-testid="list-view"] .overflow-auto')
    el.scrollTop = el.scrollHeight
  })
  await page.waitForTimeout(1_000)
  if (process.env.PROFILE) {
    console.error(
      'long tasks while scrolling (start ms after the first wheel, duration):',
      JSON.stringify(
        await page.evaluate(
          (since) =>
            window.__taskflowBench.longTasks
              .filter(([t]) => t >= since)
              .map(([t, d]) => [Math.round(t - since), Math.round(d)]),
          since,
        ),
      ),
    )
  }
  results.scrollLongest.push(
    await page.evaluate(
      (since) =>
        Math.max(
          0,
          ...window.__taskflowBench.longTasks.filter(([t]) => t >= since).map(([, d]) => d),
        ),
      since,
    ),
  )
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop')
    const { writeFileSync } = await import('node:fs')
    writeFileSync(process.env.PROFILE, JSON.stringify(profile))
  }
  // (d) view switches
  for (let i = 0; i < 3; i++) {
    results.switches.push(await timeSwitch(page, 'board'))
    await page.waitForTimeout(300)
    results.switches.push(await timeSwitch(page, 'list'))
    await page.waitForTimeout(300)
  }
  await page.close()
}

await context.close()
await server.close()
rmSync(tmp, { recursive: true, force: true })

const sorted = (xs) => [...xs].sort((a, b) => a - b)
const pct = (xs, p) => sorted(xs)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]
const row = (name, xs) =>
  console.log(
    `| ${name} | ${xs.length} | ${pct(xs, 50).toFixed(1)} | ${pct(xs, 95).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`,
  )
console.log(`\nViews on a board of ${TASKS} tasks, ${RUNS} fresh tabs, ms\n`)
console.log('| measure | samples | median | p95 | max |')
console.log('|---|---|---|---|---|')
row('filter keystroke → painted, board', results.boardKeys)
row('filter keystroke → painted, list', results.listKeys)
row('list view first paint (tab click on the open board → rows painted)', results.listFirst)
row('longest main-thread task while scrolling the list', results.scrollLongest)
row('switching views (board ↔ list) → painted', results.switches)
