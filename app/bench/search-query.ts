// The device index's query cost per keystroke, in Node (no browser, no React): the same
// 10,000 titles and 40 as-you-type queries as bench/search.mjs, every prefix typed queried
// through DeviceIndex.search, three rounds. Splits the browser figure's query part out, and
// compares another version of the index in the same run:
//
//   ../sync-server/node_modules/.bin/tsx bench/search-query.ts
//   git show main:app/src/features/search/device-index.ts > bench/.base-index.ts
//   BASE=./.base-index.ts ../sync-server/node_modules/.bin/tsx bench/search-query.ts
import type { DeviceIndex as Index } from '../src/features/search/device-index'

const { DeviceIndex } = (await import(
  process.env.BASE ?? '../src/features/search/device-index'
)) as {
  DeviceIndex: new () => Index
}
const TASKS = Number(process.env.TASKS ?? 10000)
const SYL = 'ka lo mi ne ru sa ti vo xe ban dor fen gul pra str qui'.split(' ')
const VOCAB = Array.from({ length: 3000 }, (_, i) => {
  let w = ''
  let n = i + 17
  do {
    w += SYL[n % SYL.length]
    n = Math.floor(n / SYL.length)
  } while (n > 0)
  return w
})
const WORDS =
  'plan ship review design fix test deploy write measure refactor migrate document'.split(' ')
let seed = 3
const rand = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0
  return seed / 2 ** 32
}
const word = () => VOCAB[Math.floor(VOCAB.length * rand() ** 2.5)]!
const rows = Array.from({ length: TASKS }, (_, i) => {
  const words = Array.from({ length: 4 }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length])
  return {
    taskId: `t${i}`,
    title: Array.from({ length: 3 + Math.floor(rand() * 5) }, word).join(' '),
    description: `${words.join(' ')} `.repeat(40).slice(0, 200),
    comments: '',
    checklist: '',
    labels: i % 5 === 0 ? ['bug', 'feature', 'chore'][i % 3]! : '',
    deleted: false,
  }
})
const index = new DeviceIndex()
index.setProject('p1', rows)
let aheadMs: number | null = null
// The base version may have no ranking ahead.
if (typeof (index as Partial<Index>).rankAhead === 'function') {
  const t0 = performance.now()
  const run = index.rankAhead(20)
  let step = run.next()
  while (!step.done) step = run.next()
  index.takeAnswersAhead(step.value)
  aheadMs = performance.now() - t0
}
seed = 11
const queries = Array.from({ length: 40 }, () => {
  const w = () => VOCAB[Math.floor(VOCAB.length * rand() ** 2.5)]!
  return rand() < 0.3 ? `${w()} ${w()}` : rand() < 0.5 ? `${w()} plan` : w()
})
const typed: string[] = []
for (const q of queries)
  for (let i = 1; i <= q.length; i++) if (q[i - 1] !== ' ') typed.push(q.slice(0, i))
const times: [number, string][] = []
for (let round = 0; round < 3; round++)
  for (const q of typed) {
    const t0 = performance.now()
    index.search(q, 20)
    times.push([performance.now() - t0, q])
  }
times.sort((a, b) => a[0] - b[0])
const pct = (p: number) => times[Math.ceil(p * times.length) - 1]![0].toFixed(2)
console.log(
  `${process.env.BASE ?? 'this branch'}: ${times.length} queries, p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms` +
    (aheadMs === null ? '' : `; ranking ahead took ${aheadMs.toFixed(0)} ms`),
)
console.log(
  `slowest: ${times
    .slice(-8)
    .map(([t, q]) => `"${q}" ${t.toFixed(1)}`)
    .join(', ')}`,
)
