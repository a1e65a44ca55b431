import { describe, expect, it } from 'vitest'
import { requestsInChild } from '../test/requests-in-child.js'
import { createWorld } from '../test/world.js'

// createWorld's clock reads 26 November 2026, 12:00 UTC: dates may run from 1926-01-01 to
// 2126-12-31 (100 years either side of 2026).

describe('report date ranges', () => {
  it('answers 400 at once to ranges at the end of year 9999 instead of never answering', async () => {
    const paths = [
      '/projects/:project/reports/burnup?from=9999-12-31&to=9999-12-31',
      '/projects/:project/reports/cumulative-flow?from=9999-12-31&to=9999-12-31',
      '/projects/:project/reports/throughput?to=9999-12-31',
      '/projects/:project/reports/throughput?interval=week&to=9999-12-31',
      '/projects/:project/reports/cycle-time?from=9999-12-31&to=9999-12-31',
    ]
    // Each answer takes milliseconds; the budget only turns a hang into a quick failure.
    const run = await requestsInChild(paths, { budgetMs: 5_000 })
    if ('failure' in run) throw new Error(run.failure)
    expect(run.answers.map((a) => [a.path, a.status, a.body.error?.code])).toEqual(
      paths.map((p) => [p, 400, 'validation_failed']),
    )
  })

  it('covers at most 366 days, both ends included', async () => {
    const w = await createWorld()
    const get = (query: string) =>
      w.api.call('GET', `/api/v1/projects/${w.projectId}/reports/burnup?${query}`, {
        token: w.token.viewer,
      })
    const leapYear = await get('from=2024-01-01&to=2024-12-31')
    expect(leapYear.status).toBe(200)
    expect(leapYear.body.days).toHaveLength(366)
    expect(leapYear.body.days.at(-1).date).toBe('2024-12-31')
    const oneDayMore = await get('from=2024-01-01&to=2025-01-01')
    expect(oneDayMore.status).toBe(400)
    expect(oneDayMore.body).toEqual({
      error: { code: 'validation_failed', message: 'a range spans at most 366 days' },
    })
    const reversed = await get('from=2026-11-02&to=2026-11-01')
    expect(reversed.body).toEqual({
      error: { code: 'validation_failed', message: 'from must not be after to' },
    })
    expect((await get('from=2026-11-01&to=2026-11-01')).body.days).toHaveLength(1)
  })

  it('takes dates within 100 years of today only', async () => {
    const w = await createWorld()
    const get = (query: string) =>
      w.api.call('GET', `/api/v1/projects/${w.projectId}/reports/throughput?${query}`, {
        token: w.token.viewer,
      })
    const first = await get('from=1926-01-01&to=1926-01-31')
    expect(first.status).toBe(200)
    expect(first.body.buckets).toHaveLength(31)
    const last = await get('to=2126-12-31')
    expect(last.status).toBe(200)
    expect([last.body.from, last.body.to]).toEqual(['2126-12-02', '2126-12-31'])
    for (const query of ['from=1925-12-31&to=1926-01-01', 'to=2127-01-01', 'to=9999-12-31']) {
      const r = await get(query)
      expect(r.status, query).toBe(400)
      expect(r.body.error.code, query).toBe('validation_failed')
      expect(r.body.error.message, query).toMatch(/must fall between 1926-01-01 and 2126-12-31/)
    }
    // The window moves with the server's clock.
    w.api.advance(40 * 86_400_000) // 5 January 2027
    expect((await get('to=2127-01-01')).status).toBe(200)
  })

  it('rejects dates that are not real calendar days, and repeated or unknown parameters', async () => {
    const w = await createWorld()
    for (const query of [
      'from=2026-02-30',
      'to=2025-02-29',
      'from=2026-13-01',
      'from=2026-2-01',
      'from=%2B010000-01-01',
      'to=-000001-01-01',
      'from=2026-01-01T00:00:00Z',
      'from=2026-11-01&from=2026-11-02',
      'interval=month',
      'tz=Mars/Olympus',
      'tz=',
      `tz=${'A'.repeat(65)}`,
      'limit=5',
    ]) {
      const r = await w.api.call(
        'GET',
        `/api/v1/projects/${w.projectId}/reports/throughput?${query}`,
        { token: w.token.viewer },
      )
      expect(r.status, query).toBe(400)
      expect(r.body.error.code, query).toBe('validation_failed')
    }
  })

  it('answers with the canonical name of the zone it was given', async () => {
    const w = await createWorld()
    const r = await w.api.call(
      'GET',
      `/api/v1/projects/${w.projectId}/reports/cumulative-flow?tz=europe/berlin&from=2026-11-01&to=2026-11-01`,
      { token: w.token.viewer },
    )
    expect(r.status).toBe(200)
    expect(r.body).toEqual({
      from: '2026-11-01',
      to: '2026-11-01',
      timeZone: 'Europe/Berlin',
      days: [{ date: '2026-11-01', todo: 0, in_progress: 0, done: 0 }],
    })
  })
})
