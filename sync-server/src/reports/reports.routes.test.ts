import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, type World } from '../test/world.js'

/*
 * Every report endpoint, fed random dates (extreme years and malformed strings included),
 * zones and intervals: never a 5xx, each answer quick and small, and 200 exactly when the
 * parameters are valid by the rules of docs/api.md ("Reports"), re-derived here.
 */

const DAY = 86_400_000
// Each answer normally takes a few milliseconds: the bounds catch runaway work, not speed.
const MAX_ANSWER_MS = 2_000
const MAX_ANSWER_BYTES = 64 * 1024

type Endpoint =
  | 'summary'
  | 'throughput'
  | 'cumulative-flow'
  | 'burnup'
  | 'cycle-time'
  | 'workload'
  | 'me'
const PARAMS: Record<Endpoint, readonly string[]> = {
  summary: ['tz'],
  throughput: ['from', 'to', 'tz', 'interval'],
  'cumulative-flow': ['from', 'to', 'tz'],
  burnup: ['from', 'to', 'tz'],
  'cycle-time': ['from', 'to', 'tz'],
  workload: ['tz'],
  me: ['tz', 'limit'],
}
const DEFAULT_DAYS: Partial<Record<Endpoint, number>> = {
  throughput: 30,
  'cumulative-flow': 30,
  burnup: 30,
  'cycle-time': 90,
}

let w: World

beforeAll(async () => {
  w = await createWorld()
  await seedProjection(w)
})

const iso = (ms: number) => new Date(ms).toISOString().split('T')[0]!
const ZONES = Intl.supportedValuesOf('timeZone')

// Weighted so that about half the requests are valid and reach the report code.
const dateArb = fc.oneof(
  {
    // Near the world's today (26 November 2026).
    weight: 15,
    arbitrary: fc
      .integer({ min: -200, max: 200 })
      .map((d) => iso(Date.UTC(2026, 10, 26) + d * DAY)),
  },
  {
    // Any day JavaScript can represent: years 0000–9999, then "+010000-01-01" and "-000001-…".
    weight: 1,
    arbitrary: fc.date({ noInvalidDate: true }).map((d) => iso(d.getTime())),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '9999-12-31',
      '9999-12-01',
      '0000-01-01',
      '1926-01-01',
      '1925-12-31',
      '2126-12-31',
      '2127-01-01',
      '2024-02-29',
      '2026-02-29',
      '2026-02-30',
      '2100-02-29',
      '2026-13-01',
      '2026-00-01',
      '2026-1-1',
      '+010000-01-01',
      '2026-11-26T00:00:00Z',
      '',
    ),
  },
  {
    // Date-shaped strings with numbers out of range.
    weight: 1,
    arbitrary: fc
      .tuple(fc.nat(99_999), fc.nat(99), fc.nat(99))
      .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${d}`),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 24 }) },
)
const zoneArb = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...ZONES) },
  { weight: 1, arbitrary: fc.constantFrom(...ZONES).map((z) => z.toLowerCase()) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('UTC', 'utc', 'GMT', 'US/Pacific', 'Etc/GMT-14', 'Pacific/Apia'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('Mars/Olympus', 'Etc/GMT+15', '+25:00', 'UTC ', '', 'A'.repeat(65)),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 70 }) },
)
const intervalArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('day', 'week') },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
)
const limitArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -5, max: 1_500 }).map(String) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('1e3', '1e4', '0x10', ' 7', '1.5', 'Infinity', 'NaN', ''),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
)
const VALUES: Record<string, fc.Arbitrary<string>> = {
  from: dateArb,
  to: dateArb,
  tz: zoneArb,
  interval: intervalArb,
  limit: limitArb,
  bogus: fc.string({ maxLength: 8 }),
}

/** An endpoint with some of its own parameters and, now and then, one it does not take. */
const requestArb = fc.constantFrom(...(Object.keys(PARAMS) as Endpoint[])).chain((endpoint) =>
  fc.record(
    {
      endpoint: fc.constant(endpoint),
      query: fc.record(
        Object.fromEntries(
          [...PARAMS[endpoint], 'bogus'].map((k) => [
            k,
            k === 'bogus'
              ? fc.oneof(
                  { arbitrary: fc.constant(undefined), weight: 9 },
                  { arbitrary: VALUES[k]!, weight: 1 },
                )
              : VALUES[k]!,
          ]),
        ),
        { requiredKeys: [] },
      ),
    },
    { noNullPrototype: true },
  ),
)

async function get(endpoint: Endpoint, search: string) {
  const path =
    endpoint === 'me'
      ? `/api/v1/reports/me${search}`
      : `/api/v1/projects/${w.projectId}/reports/${endpoint}${search}`
  const started = performance.now()
  const res = await w.api.app.request(path, {
    headers: { authorization: `Bearer ${w.token.viewer}` },
  })
  const text = await res.text()
  return { status: res.status, ms: performance.now() - started, text }
}

describe('report endpoints under random parameters', () => {
  it('answer 200 to valid parameters and 400 validation_failed to invalid ones, quickly and briefly', async () => {
    await fc.assert(
      fc.asyncProperty(requestArb, async ({ endpoint, query }) => {
        const q = Object.fromEntries(
          Object.entries(query).filter(([, v]) => v !== undefined),
        ) as Record<string, string>
        const search = Object.keys(q).length ? `?${new URLSearchParams(q)}` : ''
        const res = await get(endpoint, search)
        expect(res.ms).toBeLessThan(MAX_ANSWER_MS)
        expect(res.text.length).toBeLessThan(MAX_ANSWER_BYTES)
        const body = JSON.parse(res.text)
        const expected = expectedAnswer(endpoint, q, w.api.now())
        if (!expected.ok) {
          expect({ status: res.status, code: body.error?.code }).toEqual({
            status: 400,
            code: 'validation_failed',
          })
          expect(Object.keys(body)).toEqual(['error'])
          expect(typeof body.error.message).toBe('string')
          return
        }
        expect(res.status, res.text).toBe(200)
        expect(body.timeZone).toBe(expected.timeZone)
        if (expected.range) {
          expect([body.from, body.to]).toEqual([expected.range.from, expected.range.to])
          const series = body.days ?? body.buckets ?? body.tasks
          expect(Array.isArray(series)).toBe(true)
          if (body.days) expect(body.days).toHaveLength(expected.range.days)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('answer without a server error to raw, badly encoded query strings', async () => {
    const raw = fc.oneof(
      fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%FF', '%F0%9F%98%80', '+', '%2B010000-01-01'),
      fc.string({ maxLength: 16 }).map((s) => s.replace(/[#&]/g, '')),
    )
    const arb = fc.record({
      endpoint: fc.constantFrom(...(Object.keys(PARAMS) as Endpoint[])),
      pairs: fc.array(fc.tuple(fc.constantFrom('from', 'to', 'tz', 'interval', 'limit'), raw), {
        maxLength: 4,
      }),
    })
    await fc.assert(
      fc.asyncProperty(arb, async ({ endpoint, pairs }) => {
        const search = pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''
        const res = await get(endpoint, search)
        expect(res.status === 200 || res.status === 400, `${res.status} ${res.text}`).toBe(true)
        expect(res.ms).toBeLessThan(MAX_ANSWER_MS)
        expect(res.text.length).toBeLessThan(MAX_ANSWER_BYTES)
      }),
      { numRuns: 100 },
    )
  })
})

type Expected =
  | { ok: false }
  | { ok: true; timeZone: string; range?: { from: string; to: string; days: number } }

/** What docs/api.md promises for these parameters, worked out without the server's code. */
function expectedAnswer(endpoint: Endpoint, q: Record<string, string>, now: number): Expected {
  const no = { ok: false } as const
  if (Object.keys(q).some((k) => !PARAMS[endpoint].includes(k))) return no
  let timeZone = 'UTC'
  if (q.tz !== undefined) {
    if (q.tz.length > 64) return no
    try {
      timeZone = new Intl.DateTimeFormat('en-US', { timeZone: q.tz }).resolvedOptions().timeZone
    } catch {
      return no
    }
  }
  if (q.interval !== undefined && q.interval !== 'day' && q.interval !== 'week') return no
  if (q.limit !== undefined) {
    const n = Number(q.limit)
    if (!Number.isInteger(n) || n < 1 || n > 1000) return no
  }
  const defaultDays = DEFAULT_DAYS[endpoint]
  if (defaultDays === undefined) return { ok: true, timeZone }

  const wall = new Intl.DateTimeFormat('en-CA', { timeZone }).format(now) // YYYY-MM-DD
  const year = Number(wall.slice(0, 4))
  const window = { first: `${year - 100}-01-01`, last: `${year + 100}-12-31` }
  const dayOf = (date: string): number | null => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
    if (!m) return null
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
    const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]
    if (monthDays === undefined || d < 1 || d > monthDays) return null
    if (date < window.first || date > window.last) return null
    return Date.UTC(y, mo - 1, d) / DAY
  }
  const to = q.to === undefined ? dayOf(wall) : dayOf(q.to)
  if (to === null) return no
  const interval = q.interval ?? 'day'
  const from =
    q.from === undefined
      ? to - ((endpoint === 'throughput' && interval === 'week' ? 84 : defaultDays) - 1)
      : dayOf(q.from)
  if (from === null || from > to || to - from + 1 > 366) return no
  return {
    ok: true,
    timeZone,
    range: { from: iso(from * DAY), to: iso(to * DAY), days: to - from + 1 },
  }
}

/** A few projected tasks around the world's today, so the reports have rows to count. */
async function seedProjection(world: World) {
  const { db } = world.api
  const project_id = world.projectId
  const now = world.api.now()
  const columns = [
    ['todo-col', 'To do', 'todo'],
    ['doing-col', 'In progress', 'in_progress'],
    ['done-col', 'Done', 'done'],
  ] as const
  await db
    .insertInto('report_columns')
    .values(
      columns.map(([column_id, name, category], position) => ({
        project_id,
        column_id,
        name,
        category,
        position,
        wip_limit: null,
      })),
    )
    .execute()
  // [category now, estimate, due, deleted, [days ago it entered todo, in_progress, done]]
  const tasks = [
    ['done', 2, '2026-11-20', null, [10, 8, 3]],
    ['in_progress', 1.5, null, null, [5, 2]],
    ['todo', null, '2026-11-24', null, [1]],
    ['todo', 3, null, 100, [400]],
    ['done', 1, '2026-05-01', null, [250, 220, 200]],
  ] as const
  let seq = 0
  for (const [category, estimate, due_date, deletedDaysAgo, history] of tasks) {
    const task_id = randomUUID()
    const column = columns.find((c) => c[2] === category)!
    const at = history.map((daysAgo) => now - daysAgo * DAY)
    await db
      .insertInto('report_tasks')
      .values({
        project_id,
        task_id,
        title: `task ${task_id.slice(0, 4)}`,
        column_id: column[0],
        column_name: column[1],
        category,
        priority: 'medium',
        estimate,
        due_date,
        created_at: at[0]!,
        updated_at: at.at(-1)!,
        completed_at: category === 'done' ? at.at(-1)! : null,
        deleted_at: deletedDaysAgo === null ? null : now - deletedDaysAgo * DAY,
        assignee_ids: JSON.stringify([world.userId.viewer]),
        label_ids: '[]',
        start_date: null,
        created_by: world.userId.member,
      })
      .execute()
    await db
      .insertInto('report_task_assignees')
      .values({
        project_id,
        task_id,
        user_id: world.userId.viewer,
        open: category === 'done' || deletedDaysAgo !== null ? 0 : 1,
        due_key: due_date ?? '9999-12-31',
      })
      .execute()
    for (const [i, t] of at.entries()) {
      await db
        .insertInto('report_status_changes')
        .values({
          project_id,
          task_id,
          from_column_id: i === 0 ? null : columns[i - 1]![0],
          from_category: i === 0 ? null : columns[i - 1]![2],
          to_column_id: columns[i]![0],
          to_category: columns[i]![2],
          at: t,
          user_id: world.userId.member,
          seq: ++seq,
        })
        .execute()
    }
  }
}
