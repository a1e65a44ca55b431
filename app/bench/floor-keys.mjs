// Diagnostic: keydown → next painted frame for a bare <input> (no app), with the views bench's
// probe: the floor of that measure in this headless Chromium. N=60 node bench/floor-keys.mjs
import { chromium } from 'playwright-core'

const N = Number(process.env.N ?? 60)
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
  headless: true,
})
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
await page.setContent('<input id=i>')
await page.focus('#i')
const out = []
for (let i = 0; i < N; i++) {
  await page.evaluate(() => {
    window.keyDone = undefined
    document.addEventListener(
      'keydown',
      () => {
        const t0 = performance.now()
        requestAnimationFrame(() => {
          const ch = new MessageChannel()
          ch.port1.onmessage = () => {
            window.keyDone = performance.now() - t0
          }
          ch.port2.postMessage(0)
        })
      },
      { capture: true, once: true },
    )
  })
  await page.keyboard.press(i % 2 ? 'Backspace' : 'a')
  await page.waitForFunction(() => window.keyDone !== undefined)
  out.push(await page.evaluate(() => window.keyDone))
  await page.waitForTimeout(120)
}
await browser.close()
const s = [...out].sort((a, b) => a - b)
const pct = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))]
console.log(
  `bare input, ${N} keys: median ${pct(0.5).toFixed(1)} p95 ${pct(0.95).toFixed(1)} min ${s[0].toFixed(1)} max ${s.at(-1).toFixed(1)}`,
)
console.log(s.map((x) => x.toFixed(1)).join(' '))
