import { describe, expect, it } from 'vitest'
import { addDays, lastDays, localDate } from './date-range'

describe('report date ranges', () => {
  it('counts the last N days including today', () => {
    const now = Date.UTC(2026, 10, 26, 12)
    expect(lastDays(14, now, 'UTC')).toEqual({
      from: '2026-11-13',
      to: '2026-11-26',
      timeZone: 'UTC',
    })
  })

  it('takes today from the viewer’s time zone, not UTC', () => {
    // 23:30 UTC on 26 November is already 27 November in Berlin and still 26th in New York.
    const now = Date.UTC(2026, 10, 26, 23, 30)
    expect(localDate(now, 'Europe/Berlin')).toBe('2026-11-27')
    expect(localDate(now, 'America/New_York')).toBe('2026-11-26')
    expect(lastDays(30, now, 'Europe/Berlin').to).toBe('2026-11-27')
  })

  it('crosses month, year and leap-day boundaries', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29')
    expect(addDays('2026-03-01', -90)).toBe('2025-12-01')
  })
})
