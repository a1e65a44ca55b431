// Views on a 10,000-task board in the built app, headless Chromium (issue 15):
//   (a) a keystroke in the filter box → the filtered board / list painted (p95),
//   (b) the list view's first paint after the board is open (tab click → rows painted),
//   (c) scrolling the list to the bottom: the longest main-thread task,
//   (d) switching views (board ↔ list) → painted,
//   (e) the calendar month with 2,000 dated tasks (tab click on the open board → painted),
//   (f) switching views board → list → calendar → timeline → board, each → painted.
// ONLY=calendar runs just (e) and (f); ONLY=filter just (a) and (b). The seed dates every third task in December 2026;
// (e) and (f) filter to priority none/low/medium, which leaves 2,000 dated of 10,000.
// Run after `vite build --mode bench` (serves dist-bench/ through the real server, as
// `pnpm start` serves dist/):
//
//   pnpm --filter @taskflow/app exec node bench/views.mjs
//   TASKS=10000 RUNS=5 node bench/views.mjs
//
// The page seeds the board through the board operations (src/bench/bench-hooks.ts) once, then each
// run is a fresh tab opening it from IndexedDB.
import { openBench } from './harness.mjs'

const TASKS = Number(process.env.TASKS ?? 10_000)
const RUNS = Math.max(3, Number(process.env.RUNS ?? 5))
const { boardUrl, context, server, close } = await openBench('views')

// After the harness's probe (init scripts run in order).
await context.addInitScript(() => {
  const probe = window.__taskflowBench
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
})

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
async function openBoard(search = '') {
  const page = await context.newPage()
  await page.goto(boardUrl + search)
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

const CONTENT = {
  board: '[data-testid="task-card"]',
  list: '[data-testid="list-row"]',
  calendar: '[data-testid="calendar-task"]',
  timeline: '[data-testid="timeline-bar"]',
}

/** Clicks a view tab in the page and times until the view's content is painted. */
function timeSwitch(page, kind) {
  return page.evaluate(
    async ([kind, selector]) => {
      const p = window.__taskflowBench
      const t0 = performance.now()
      document.querySelector(`[data-testid="view-tab-${kind}"]`).click()
      const t = await p.until(() => document.querySelector(selector) !== null)
      return t - t0
    },
    [kind, CONTENT[kind]],
  )
}

const ONLY_CALENDAR = process.env.ONLY === 'calendar'
const ONLY_FILTER = process.env.ONLY === 'filter'
const CAL_FILTER = ['none', 'low', 'medium']
/** Tasks the seed dates (every third) that keep a priority in CAL_FILTER (i % 5 < 3). */
const calendarTasks = Array.from({ length: TASKS }, (_, i) => i).filter(
  (i) => i % 3 === 0 && i % 5 < 3,
).length

const results = {
  boardKeys: [],
  listKeys: [],
  listFirst: [],
  scrollLongest: [],
  switches: [],
  calendarFirst: [],
  calendarMonth: [],
  allSwitches: [],
}
for (let run = 0; run < RUNS && !ONLY_CALENDAR; run++) {
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
  if (ONLY_FILTER) {
    await page.close()
    continue
  }
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

for (let run = 0; run < RUNS && !ONLY_FILTER; run++) {
  // The board filtered to 2,000 dated tasks, the calendar anchored on their month.
  const page = await openBoard(
    `?view=board&priority=${encodeURIComponent(JSON.stringify(CAL_FILTER))}&date=2026-12-15`,
  )
  // (e) the month on the open board
  results.calendarFirst.push(await timeSwitch(page, 'calendar'))
  await page.waitForTimeout(500)
  // (e') next month and back: the month re-rendered with the view already open
  results.calendarMonth.push(
    await page.evaluate(async () => {
      const p = window.__taskflowBench
      const title = () => document.querySelector('[data-testid="date-title"]').textContent
      const before = title()
      document.querySelector('[data-testid="date-nav"] [aria-label="Next"]').click()
      await p.until(() => title() !== before)
      const t0 = performance.now()
      document.querySelector('[data-testid="date-nav"] [aria-label="Previous"]').click()
      const t = await p.until(
        () => title() === before && document.querySelector('[data-testid="calendar-task"]'),
      )
      return t - t0
    }),
  )
  await page.waitForTimeout(300)
  // (f) every view in turn
  for (let i = 0; i < 2; i++) {
    for (const kind of ['timeline', 'board', 'list', 'calendar']) {
      results.allSwitches.push(await timeSwitch(page, kind))
      await page.waitForTimeout(300)
    }
  }
  await page.close()
}

await close()

const sorted = (xs) => [...xs].sort((a, b) => a - b)
const pct = (xs, p) => sorted(xs)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]
const row = (name, xs) =>
  xs.length > 0 &&
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
row(
  `calendar month, ${calendarTasks} dated tasks (tab click on the board → painted)`,
  results.calendarFirst,
)
row(
  `calendar month, ${calendarTasks} dated tasks (previous month → painted)`,
  results.calendarMonth,
)
row('switching views (board → list → calendar → timeline) → painted', results.allSwitches)
// Something of the server or browser can keep the event loop alive after close(): the
// figures are out, so leave.
process.exit(0)
