// Opens a 5,000-task board from IndexedDB in headless Chromium and times (a) the route
// until the board is interactive, with the sync server unreachable, (b) single edits
// until React has committed and the next frame is painted, with how many cards re-rendered,
// and (c) the compaction of the stored IndexedDB rows after a burst of edits crosses its
// threshold: the longest main-thread task and the keystroke latency while it runs.
// Run after `vite build --mode bench` (serves dist-bench/ through the real server, as
// `pnpm start` serves dist/):
//
//   pnpm --filter @taskflow/app bench          # bundle sizes, then this
//   TASKS=5000 RUNS=5 node bench/board-open.mjs
//   APP_DIR=/tmp/other-build node bench/board-open.mjs   # a bench build made with --outDir
//
// The app exposes its board document and render counters only when this script defines
// `window.__taskflowBench` before the app starts (src/bench/bench-hooks.ts, in the benchmark build).
import { openBench } from './harness.mjs'

const TASKS = Number(process.env.TASKS ?? 5000)
const RUNS = Math.max(5, Number(process.env.RUNS ?? 5))
const DESCRIPTION = 200
// Edits in the compaction burst: past the 500 stored rows at which both y-indexeddb's trim
// and the app's compaction start.
const BURST_EDITS = Number(process.env.BURST_EDITS ?? 600)
const { account, project, boardUrl, context, server, close } = await openBench('board')

// After the harness's probe (init scripts run in order).
await context.addInitScript(() => {
  const probe = window.__taskflowBench
  // Checked before every frame: the first frame that shows a card of the first column.
  const firstCard = '[data-testid="column"] [data-testid="task-card"]'
  const poll = () => {
    const card = document.querySelector(firstCard)
    if (card) {
      probe.cardsAt = performance.now()
      const r = card.getBoundingClientRect()
      probe.cardPoint = [r.x + r.width / 2, r.y + Math.min(r.height / 2, 12)]
    } else requestAnimationFrame(poll)
  }
  requestAnimationFrame(poll)
  // Bubble phase on document: runs after React's own listener on the root, i.e. once the
  // card's click handler has run.
  document.addEventListener('click', (e) => {
    if (probe.clickHandledAt === undefined && e.target.closest?.('[data-testid="task-card"]')) {
      probe.clickSentAt = e.timeStamp
      probe.clickHandledAt = performance.now()
    }
  })
})

const mark = (page, name) =>
  page.evaluate((n) => performance.getEntriesByName(n)[0]?.startTime ?? null, name)

// --- Seed: 5,000 tasks through the board operations in the page; they reach the server
// and y-indexeddb as a user's edits would.
{
  const page = await context.newPage()
  await page.goto(`${server.url}/projects`)
  await page.goto(boardUrl)
  await page.waitForFunction(
    () => window.__taskflowBench.board && document.querySelector('[data-testid="column"]'),
  )
  await page.waitForSelector('[data-testid="sync-indicator"][data-phase="saved"]')
  const t = Date.now()
  const made = await page.evaluate(
    ([n, len]) => window.__taskflowBench.board.seed(n, len),
    [TASKS, DESCRIPTION],
  )
  if (made !== TASKS) throw new Error(`seeded ${made} of ${TASKS} tasks`)
  await page.waitForSelector(
    '[data-testid="sync-indicator"][data-phase="saved"][data-unsynced="0"]',
    {
      timeout: 120_000,
    },
  )
  console.error(`seeded ${made} tasks in ${Date.now() - t} ms`)
  // y-indexeddb trims its rows 1 s after the last edit; the app's view snapshot is debounced too.
  await page.waitForTimeout(4_000)
  await page.close()
}

// From here the sync server never answers: the socket opens but no message arrives, so the
// numbers are the local-first path (IndexedDB only).
await context.routeWebSocket(/\/sync\//, () => {})

async function openBoard() {
  const page = await context.newPage()
  await page.goto(boardUrl, { waitUntil: 'commit' })
  await page.waitForFunction(() => window.__taskflowBench?.cardsAt !== undefined, null, {
    polling: 'raf',
    timeout: 30_000,
  })
  const [x, y] = await page.evaluate(() => window.__taskflowBench.cardPoint)
  await page.mouse.click(x, y)
  await page.waitForFunction(() => window.__taskflowBench.clickHandledAt !== undefined)
  await page.waitForURL(/\/tasks\//)
  await page.waitForFunction(
    () => performance.getEntriesByName('taskflow:local-loaded').length > 0,
    null,
    {
      timeout: 30_000,
    },
  )
  await page.waitForTimeout(1_500)
  const probe = await page.evaluate(() => {
    const p = window.__taskflowBench
    return {
      cardsAt: p.cardsAt,
      clickSentAt: p.clickSentAt,
      clickHandledAt: p.clickHandledAt,
      longTasks: p.longTasks,
    }
  })
  const loaded = await mark(page, 'taskflow:local-loaded')
  // The Yjs apply of the stored state, measured by the app (absent in older builds).
  const apply = await page.evaluate(
    () => performance.getEntriesByName('taskflow:local-apply')[0]?.duration ?? null,
  )
  await page.close()
  return {
    cards: probe.cardsAt,
    interactive: probe.clickHandledAt,
    clickDelay: probe.clickHandledAt - probe.clickSentAt,
    loaded,
    apply,
    longest: Math.max(0, ...probe.longTasks.map(([, d]) => d)),
  }
}

await openBoard() // warm-up: disk cache, compiled code cache
const opens = []
for (let i = 0; i < RUNS; i++) opens.push(await openBoard())

// --- (b) single edits on a loaded board.
const page = await context.newPage()
await page.goto(boardUrl)
await page.waitForFunction(() => performance.getEntriesByName('taskflow:local-loaded').length > 0)
await page.waitForSelector('[data-testid="task-card"]')
await page.waitForTimeout(1_500)

/** Runs `edit` in the page and times it until React's commit and the next painted frame. */
function timeEdit(kind, i) {
  return page.evaluate(
    async ([kind, i]) => {
      const p = window.__taskflowBench
      const board = p.board
      const cards = [...document.querySelectorAll('[data-testid="column"]')].map((c) =>
        [...c.querySelectorAll('[data-testid="task-card"]')].map((e) => e.dataset.taskId),
      )
      const columnIds = [...document.querySelectorAll('[data-testid="column"]')].map(
        (c) => c.dataset.columnId,
      )
      const taskId = cards[0][2 + (i % 5)]
      const edit = {
        // Always a different priority: writing the one it has changes nothing on the card.
        priority: () => {
          const current = board.doc.getMap('tasks').get(taskId)?.get('priority')
          const others = ['low', 'medium', 'high', 'urgent'].filter((x) => x !== current)
          return board.updateTask(taskId, { priority: others[i % others.length] })
        },
        title: () => board.updateTask(taskId, { title: `Renamed in run ${i} ${Date.now()}` }),
        move: () => board.moveTask(taskId, columnIds[1], 1),
      }[kind]
      p.renders = {}
      const c0 = p.commits.length
      const t0 = performance.now()
      if (!edit()) throw new Error(`${kind} failed`)
      const op = performance.now() - t0
      await new Promise((resolve) =>
        requestAnimationFrame(() => {
          const ch = new MessageChannel()
          ch.port1.onmessage = resolve
          ch.port2.postMessage(0)
        }),
      )
      const paint = performance.now() - t0
      const commits = p.commits.slice(c0)
      return {
        op,
        commit: commits.length ? commits.at(-1) - t0 : op,
        paint,
        commits: commits.length,
        cards: p.renders.card ?? 0,
        cardBodies: p.renders.cardBody ?? 0,
        columns: p.renders.column ?? 0,
        board: p.renders.board ?? 0,
      }
    },
    [kind, i],
  )
}

/** A keyboard drag (Space picks up, arrow moves, Space drops), timed from the key event. */
async function timeKey(key) {
  await page.evaluate(() => {
    const p = window.__taskflowBench
    p.renders = {}
    p.keyT0 = undefined
    p.keyDone = undefined
    document.addEventListener(
      'keydown',
      () => {
        p.keyT0 = performance.now()
        p.keyC0 = p.commits.length
        requestAnimationFrame(() => {
          const ch = new MessageChannel()
          ch.port1.onmessage = () => {
            p.keyDone = performance.now()
          }
          ch.port2.postMessage(0)
        })
      },
      { capture: true, once: true },
    )
  })
  await page.keyboard.press(key)
  await page.waitForFunction(() => window.__taskflowBench.keyDone !== undefined)
  await page.waitForTimeout(300)
  return page.evaluate(() => {
    const p = window.__taskflowBench
    const commits = p.commits.slice(p.keyC0)
    return {
      commit: commits.length ? commits[0] - p.keyT0 : 0,
      paint: p.keyDone - p.keyT0,
      commits: commits.length,
      cards: p.renders.card ?? 0,
      cardBodies: p.renders.cardBody ?? 0,
      columns: p.renders.column ?? 0,
      board: p.renders.board ?? 0,
    }
  })
}

const edits = { priority: [], title: [], move: [], 'drag start (Space)': [], 'drop (Space)': [] }
for (let i = 0; i < RUNS; i++) {
  for (const kind of ['priority', 'title', 'move']) {
    edits[kind].push(await timeEdit(kind, i))
    await page.waitForTimeout(200)
  }
  await page
    .locator('[data-testid="column"]')
    .first()
    .locator('[data-testid="task-card"]')
    .nth(1)
    .focus()
  edits['drag start (Space)'].push(await timeKey('Space'))
  await page.keyboard.press('ArrowDown')
  await page.waitForTimeout(300)
  edits['drop (Space)'].push(await timeKey('Space'))
  await page.waitForTimeout(300)
}

// --- (c) compaction: a burst of edits pushes the stored rows past the threshold; the user
// pauses just over the 1 s debounce after which compaction starts, then types on through it.
function compactionRun(i) {
  return page.evaluate(
    async ([n, i, dbName]) => {
      const p = window.__taskflowBench
      const taskId = document.querySelector('[data-testid="task-card"]').dataset.taskId
      /** Rows in the board's y-indexeddb `updates` store. */
      const storedRows = () =>
        new Promise((resolve, reject) => {
          const req = indexedDB.open(dbName)
          req.onerror = () => reject(req.error)
          req.onsuccess = () => {
            const db = req.result
            const count = db.transaction('updates', 'readonly').objectStore('updates').count()
            count.onsuccess = () => {
              db.close()
              resolve(count.result)
            }
          }
        })
      const frame = () =>
        new Promise((resolve) =>
          requestAnimationFrame(() => {
            const ch = new MessageChannel()
            ch.port1.onmessage = resolve
            ch.port2.postMessage(0)
          }),
        )
      // One transaction per edit, as typing makes them: each becomes one stored row.
      for (let k = 0; k < n; k++) p.board.updateTask(taskId, { title: `Burst ${i} edit ${k}` })
      // The burst's render and row writes finish before anything is timed.
      await new Promise((resolve) => setTimeout(resolve, 300))
      await frame()
      const from = performance.now()
      const latencies = []
      let at = from
      let title = 'Typed '
      let rowsBefore
      // One key (untimed: it restarts the 1 s debounce), then two bursts of 10 keys 100 ms
      // apart, each after a 1,050 ms pause: the compaction starts just before typing resumes.
      for (let burst = 0; burst < 3; burst++) {
        if (burst > 0) at += 1_050
        if (burst === 1) {
          await new Promise((resolve) =>
            setTimeout(resolve, Math.max(0, at - 150 - performance.now())),
          )
          rowsBefore = await storedRows()
        }
        for (let k = 0; k < (burst ? 10 : 1); k++) {
          if (k > 0) at += 100
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())))
          title += 'x'
          p.board.updateTask(taskId, { title })
          await frame()
          // From when the key was due, so time spent waiting for a busy main thread counts.
          if (burst > 0) latencies.push(performance.now() - at)
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000))
      const longest = Math.max(0, ...p.longTasks.filter(([t]) => t >= from).map(([, d]) => d))
      const s = latencies.sort((a, b) => a - b)
      return {
        rowsBefore,
        rowsAfter: await storedRows(),
        longest,
        keyMedian: s[s.length >> 1],
        keyWorst: s.at(-1),
      }
    },
    [BURST_EDITS, i, `taskflow.${account.user.id}.${project.id}`],
  )
}

const compactions = []
for (let i = 0; i < RUNS; i++) compactions.push(await compactionRun(i))

await close()

// --- Report
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const fmt = (xs) =>
  `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`
const fmt1 = (xs) =>
  `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`
const col = (rows, k) => rows.map((r) => r[k])

console.log(
  `\nBoard of ${TASKS} tasks (${DESCRIPTION}-char descriptions), ${RUNS} runs, median (min–max), ms from navigation start\n`,
)
console.log('| open from IndexedDB, sync server not answering | ms |')
console.log('|---|---|')
console.log(`| first column's cards painted | ${fmt(col(opens, 'cards'))} |`)
console.log(
  `| interactive: cards painted and a click on a card handled | ${fmt(col(opens, 'interactive'))} |`,
)
console.log(
  `| of which click input → handler (main thread busy) | ${fmt1(col(opens, 'clickDelay'))} |`,
)
console.log(`| Yjs document loaded from IndexedDB (editable) | ${fmt(col(opens, 'loaded'))} |`)
console.log(`| longest main-thread task during the open | ${fmt(col(opens, 'longest'))} |`)
const applies = col(opens, 'apply').filter((x) => x !== null)
console.log(
  `| of which the Yjs apply of the stored state | ${applies.length ? fmt(applies) : '—'} |`,
)
console.log(
  '\n| single edit on the loaded board | op (Yjs + view) | → React commit | → next frame | commits | card shells (dnd-kit) | card contents | columns | board |',
)
console.log('|---|---|---|---|---|---|---|---|---|')
for (const [kind, rows] of Object.entries(edits)) {
  console.log(
    `| ${kind} | ${rows[0].op === undefined ? '—' : fmt1(col(rows, 'op'))} | ${fmt1(col(rows, 'commit'))} | ${fmt1(col(rows, 'paint'))} | ${median(col(rows, 'commits'))} | ${fmt(col(rows, 'cards'))} | ${fmt(col(rows, 'cardBodies'))} | ${fmt(col(rows, 'columns'))} | ${fmt(col(rows, 'board'))} |`,
  )
}
console.log(
  `\n| ${BURST_EDITS} edits, then typing with 1 s pauses (1 + 2 × 10 keys at 100 ms) | ms |`,
)
console.log('|---|---|')
console.log(
  `| stored rows just before the compaction is due → 2 s after typing | ${median(col(compactions, 'rowsBefore'))} → ${median(col(compactions, 'rowsAfter'))} |`,
)
console.log(
  `| longest main-thread task from the pause to 2 s after typing | ${fmt(col(compactions, 'longest'))} |`,
)
console.log(`| keystroke → next frame, median | ${fmt1(col(compactions, 'keyMedian'))} |`)
console.log(`| keystroke → next frame, worst of 20 | ${fmt1(col(compactions, 'keyWorst'))} |`)
