// Diagnostic, not a benchmark of a target: a Chrome trace (TRACE=1) of the views bench's filter
// keystrokes, or (without TRACE) per key: ms to the painted frame, React commits and renders.
// TASKS=10000 TABS=2 TRACE=1 OUT=/tmp/trace node bench/trace-keys.mjs → /tmp/trace-<view>-<tab>.json
import { writeFileSync } from 'node:fs'
import { openBench } from './harness.mjs'

const TASKS = Number(process.env.TASKS ?? 10_000)
const TABS = Number(process.env.TABS ?? 2)
const OUT = process.env.OUT ?? '/tmp/trace-keys'
const VIEWS = (process.env.VIEWS ?? 'board,list').split(',')
const { boardUrl, context, close } = await openBench('trace')
await context.addInitScript(() => {
  const probe = window.__taskflowBench
  probe.painted = () =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const ch = new MessageChannel()
        ch.port1.onmessage = () => resolve(performance.now())
        ch.port2.postMessage(0)
      }),
    )
})
{
  const page = await context.newPage()
  await page.goto(boardUrl)
  await page.waitForFunction(
    () => window.__taskflowBench.board && document.querySelector('[data-testid="column"]'),
  )
  await page.waitForSelector('[data-testid="sync-indicator"][data-phase="saved"]')
  await page.evaluate((n) => window.__taskflowBench.board.seed(n, 200), TASKS)
  await page.waitForSelector(
    '[data-testid="sync-indicator"][data-phase="saved"][data-unsynced="0"]',
    { timeout: 300_000 },
  )
  await page.waitForTimeout(4_000)
  await page.close()
}
async function timeKeys(page, keys) {
  const out = []
  for (const key of keys) {
    await page.evaluate(() => {
      const p = window.__taskflowBench
      p.keyDone = undefined
      p.before = { c: p.commits.length, r: { ...p.renders } }
      document.addEventListener(
        'keydown',
        () => {
          const t0 = performance.now()
          performance.mark('key-start')
          p.painted().then((t) => {
            performance.mark('key-end')
            p.keyDone = t - t0
          })
        },
        { capture: true, once: true },
      )
    })
    await page.keyboard.press(key)
    await page.waitForFunction(() => window.__taskflowBench.keyDone !== undefined)
    out.push(
      await page.evaluate(() => {
        const p = window.__taskflowBench
        const r = Object.entries(p.renders)
          .map(([k, v]) => `${k}:${v - (p.before.r[k] ?? 0)}`)
          .filter((x) => !x.endsWith(':0'))
          .join(',')
        return `${p.keyDone.toFixed(1)}[c${p.commits.length - p.before.c} ${r}]`
      }),
    )
    await page.waitForTimeout(120)
  }
  return out
}
const typing = [...'review', ...Array(6).fill('Backspace')]
for (let tab = 0; tab < TABS; tab++) {
  const page = await context.newPage()
  await page.goto(boardUrl)
  await page.waitForFunction(
    () => performance.getEntriesByName('taskflow:local-loaded').length > 0,
    null,
    { timeout: 60_000 },
  )
  await page.waitForSelector('[data-testid="task-card"]')
  await page.waitForTimeout(1_500)
  for (const view of VIEWS) {
    if (view !== 'board') {
      await page.click(`[data-testid="view-tab-${view}"]`)
      await page.waitForTimeout(800)
    }
    await page.getByTestId('filter-text').focus()
    if (!process.env.TRACE) {
      console.log(view, tab, (await timeKeys(page, typing)).join(' '))
      await page.getByTestId('filter-text').fill('')
      await page.waitForTimeout(500)
      continue
    }
    const cdp = await context.newCDPSession(page)
    const events = []
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value))
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r))
    await cdp.send('Tracing.start', {
      categories:
        'devtools.timeline,disabled-by-default-devtools.timeline,disabled-by-default-devtools.timeline.frame,v8.execute,v8,blink.user_timing,disabled-by-default-v8.cpu_profiler,blink,cc,gpu,viz',
      transferMode: 'ReportEvents',
    })
    const ms = await timeKeys(page, typing)
    await cdp.send('Tracing.end')
    await done
    writeFileSync(`${OUT}-${view}-${tab}.json`, JSON.stringify({ traceEvents: events }))
    console.log(view, tab, ms.join(' '))
    await page.getByTestId('filter-text').fill('')
    await page.waitForTimeout(500)
  }
  await page.close()
}
await Promise.race([close(), new Promise((r) => setTimeout(r, 10_000))])
process.exit(0)
