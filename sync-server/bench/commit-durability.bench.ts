/**
 * What TASKFLOW_SYNC_DURABILITY=full costs per group commit, apart from the relay harness's
 * noise: the product's UpdateLog appends one transaction at a time (a 10-update batch of
 * ~120-byte updates, like one busy event-loop turn) into a fresh database on the data disk,
 * alternating blocks of `normal` and `full` so both see the same disk and machine load.
 * Prints the time per commit (median / p95 / p99, ms) per mode and their ratio.
 * Run: npx tsx bench/commit-durability.bench.ts   (BLOCKS=6 COMMITS=200 DIR=/tmp)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { type Durability, openDatabase } from '../src/db/database.js'
import { migrateToLatest } from '../src/db/migrate.js'
import { type LogRow, UpdateLog } from '../src/sync/update-log.js'

const BLOCKS = Number(process.env.BLOCKS ?? 6)
const COMMITS = Number(process.env.COMMITS ?? 200)
const BATCH = 10
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]!
}

async function open(durability: Durability) {
  const dir = mkdtempSync(join(process.env.DIR ?? '/tmp', `tf-commit-${durability}-`))
  const { db, sqlite } = openDatabase(join(dir, 'taskflow.db'), durability)
  await migrateToLatest(db)
  return { log: new UpdateLog(db, () => Date.now()), sqlite, dir, db, seq: 0 }
}

const stores = { normal: await open('normal'), full: await open('full') }
const times: Record<Durability, number[]> = { normal: [], full: [] }
const update = new Uint8Array(120).fill(7)
for (let b = 0; b < BLOCKS; b++) {
  for (const mode of (b % 2 ? ['full', 'normal'] : ['normal', 'full']) as Durability[]) {
    const s = stores[mode]
    for (let c = 0; c < COMMITS; c++) {
      const rows: LogRow[] = Array.from({ length: BATCH }, () => ({
        docName: 'bench',
        seq: ++s.seq,
        update,
        userId: null,
        createdAt: 0,
      }))
      const t0 = performance.now()
      await s.log.append(rows)
      times[mode].push(performance.now() - t0)
    }
  }
}
const r2 = (x: number) => Math.round(x * 100) / 100
console.log(`| mode | commits | median ms | p95 ms | p99 ms |`)
console.log('|---|---:|---:|---:|---:|')
for (const mode of ['normal', 'full'] as const) {
  const t = times[mode]
  console.log(
    `| ${mode} | ${t.length} | ${r2(pct(t, 0.5))} | ${r2(pct(t, 0.95))} | ${r2(pct(t, 0.99))} |`,
  )
}
console.log(`full / normal, median: ${r2(pct(times.full, 0.5) / pct(times.normal, 0.5))}×`)
for (const s of Object.values(stores)) {
  await s.db.destroy()
  rmSync(s.dir, { recursive: true, force: true })
}
