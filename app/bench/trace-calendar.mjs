// Diagnostic, not a benchmark of a target: where the Calendar tab click's time goes on the
// views bench's board (10,000 tasks, filtered to 2,000 dated in December 2026). Per tab, the
// click → painted ms; with TRACE=1 a Chrome trace of the click (OUT-<tab>.json) and the main
// thread's top-level tasks by name; with PROFILE=1 a V8 CPU profile (OUT-<tab>.cpuprofile)
// and its self time by function.
//   TASKS=10000 TABS=3 PROFILE=1 OUT=/tmp/cal node bench/trace-calendar.mjs
import { writeFileSync } from 'node:fs'
import { openBench } from './harness.mjs'

const TASKS = Number(process.env.TASKS ?? 10_000)
const TABS = Number(process.env.TABS ?? 3)
const OUT = process.env.OUT ?? '/tmp/trace-calendar'
const { boardUrl, context, close } = await openBench('trace-calendar')
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
  probe.until = (test) =>
    new Promise((resolve) => {
      const check = () => (test() ? probe.painted().then(resolve) : requestAnimationFrame(check))
      check()
    })
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

/** Self time per function name (ms), top `n`. */
function selfTimes(profile, n = 25) {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]))
  const self = new Map()
  const dt = profile.timeDeltas
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i])
    const f = node.callFrame
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}:${f.columnNumber}`
    self.set(key, (self.get(key) ?? 0) + (dt[i + 1] ?? 0) / 1000)
  }
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, n)
}

const filter = encodeURIComponent(JSON.stringify(['none', 'low', 'medium']))
for (let tab = 0; tab < TABS; tab++) {
  const page = await context.newPage()
  await page.goto(`${boardUrl}?view=board&priority=${filter}&date=2026-12-15`)
  await page.waitForFunction(
    () => performance.getEntriesByName('taskflow:local-loaded').length > 0,
    null,
    { timeout: 60_000 },
  )
  await page.waitForSelector('[data-testid="task-card"]')
  await page.waitForTimeout(1_500)
  const cdp = await context.newCDPSession(page)
  const events = []
  if (process.env.TRACE) {
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value))
    await cdp.send('Tracing.start', {
      categories:
        'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink.user_timing',
      transferMode: 'ReportEvents',
    })
  }
  if (process.env.PROFILE) {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 })
    await cdp.send('Profiler.start')
  }
  const ms = await page.evaluate(async () => {
    const p = window.__taskflowBench
    performance.mark('click')
    const t0 = performance.now()
    document.querySelector('[data-testid="view-tab-calendar"]').click()
    const t = await p.until(() => document.querySelector('[data-testid="calendar-task"]') !== null)
    performance.mark('painted')
    return t - t0
  })
  const elements = await page.evaluate(() => ({
    month: document.querySelectorAll(
      '[data-testid="calendar-week"], [data-testid="calendar-week"] *',
    ).length,
    tray: document.querySelectorAll('[data-testid="calendar-tray"] *').length,
  }))
  console.log(
    `tab ${tab}: calendar tab click → painted ${ms.toFixed(1)} ms; elements: month ${elements.month}, tray ${elements.tray}`,
  )
  if (process.env.PROFILE) {
    const { profile } = await cdp.send('Profiler.stop')
    writeFileSync(`${OUT}-${tab}.cpuprofile`, JSON.stringify(profile))
    for (const [k, v] of selfTimes(profile)) console.log(`  ${v.toFixed(1).padStart(7)}  ${k}`)
  }
  if (process.env.TRACE) {
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r))
    await cdp.send('Tracing.end')
    await done
    writeFileSync(`${OUT}-${tab}.json`, JSON.stringify({ traceEvents: events }))
    const mark = (name) => events.find((e) => e.name === name && e.cat.includes('user_timing'))
    const from = mark('click')?.ts
    const to = mark('painted')?.ts
    const main = events.find((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain')
    const sums = new Map()
    for (const e of events) {
      if (e.ph !== 'X' || e.tid !== main?.tid || e.ts < from || e.ts > to) continue
      sums.set(e.name, (sums.get(e.name) ?? 0) + e.dur / 1000)
    }
    for (const [k, v] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, 20))
      console.log(`  ${v.toFixed(1).padStart(7)}  ${k}`)
  }
  await page.close()
}
await Promise.race([close(), new Promise((r) => setTimeout(r, 10_000))])
process.exit(0)
