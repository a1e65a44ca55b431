import { afterEach, describe, expect, it, vi } from 'vitest'
import { createDateFormat, localDate } from './dates'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR

// Named locales and zones, so each expectation is the exact text that viewer reads; the
// clock is always passed in, so nothing here depends on today's date.
const us = createDateFormat({ locale: 'en-US', timeZone: 'America/New_York' })
const uk = createDateFormat({ locale: 'en-GB', timeZone: 'Europe/London' })
const de = createDateFormat({ locale: 'de-DE', timeZone: 'Europe/Berlin' })

// 2026-11-26 15:00 in New York (20:00 UTC).
const NOW = Date.UTC(2026, 10, 26, 20, 0)

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('when (instants)', () => {
  it('says recent times relative to now, in the viewer’s language', () => {
    expect(us.when(NOW - 20_000, NOW)).toBe('now')
    expect(us.when(NOW - 5 * MIN, NOW)).toBe('5 minutes ago')
    expect(us.when(NOW - MIN, NOW)).toBe('1 minute ago')
    expect(us.when(NOW - 3 * HOUR - 10 * MIN, NOW)).toBe('3 hours ago')
    expect(de.when(NOW - 5 * MIN, NOW)).toBe('vor 5 Minuten')
    expect(de.when(NOW - 3 * HOUR, NOW)).toBe('vor 3 Stunden')
  })

  it('says "yesterday" for the day before on the viewer’s calendar, then days', () => {
    // 23:30 the day before in New York, 15:30 hours earlier.
    expect(us.when(Date.UTC(2026, 10, 26, 4, 30), NOW)).toBe('yesterday')
    expect(us.when(NOW - 3 * DAY, NOW)).toBe('3 days ago')
    expect(de.when(NOW - DAY, NOW)).toBe('gestern')
    expect(us.when(NOW + 2 * DAY, NOW)).toBe('in 2 days')
  })

  it('shows the date and time once it is a week or more away', () => {
    const at = Date.UTC(2026, 10, 12, 14, 5) // 09:05 in New York, 15:05 in Berlin
    expect(us.when(at, NOW)).toBe('Nov 12, 2026, 9:05 AM')
    expect(de.when(at, NOW)).toBe('12.11.2026, 15:05')
    expect(uk.when('2026-11-12T14:05:00.000Z', NOW)).toBe('12 Nov 2026, 14:05')
  })

  it('reads a device clock slightly ahead of the author’s as "now", not "in 1 minute"', () => {
    expect(us.when(NOW + 30_000, NOW)).toBe('now')
  })

  it('shows nothing for a value that is not a time instead of throwing', () => {
    expect(us.when('not a date', NOW)).toBe('')
    expect(us.exact(Number.NaN)).toBe('')
  })
})

describe('day (calendar dates such as due dates)', () => {
  it.each(['America/Los_Angeles', 'Pacific/Pago_Pago', 'UTC', 'Pacific/Kiritimati'])(
    'shows YYYY-MM-DD as the same day in %s',
    (zone) => {
      // West of Greenwich a date read as UTC midnight and shown in local time is the day before.
      vi.stubEnv('TZ', zone)
      const viewer = createDateFormat({ locale: 'en-US' })
      expect(viewer.day('2030-01-15')).toBe('Jan 15, 2030')
      expect(createDateFormat({ locale: 'de-DE' }).day('2030-01-15')).toBe('15.01.2030')
      expect(uk.day('2030-01-01')).toBe('1 Jan 2030')
      expect(uk.shortDay('2026-11-26')).toBe('26 Nov')
      expect(viewer.shortDay('2026-11-26')).toBe('Nov 26')
    },
  )

  it('shows anything that is not YYYY-MM-DD as given', () => {
    expect(us.day('soon')).toBe('soon')
  })
})

describe('localDate', () => {
  it('gives the calendar day of an instant in a zone', () => {
    expect(localDate(Date.UTC(2026, 10, 26, 23, 30), 'Europe/Berlin')).toBe('2026-11-27')
    expect(localDate(Date.UTC(2026, 10, 26, 23, 30), 'America/New_York')).toBe('2026-11-26')
  })
})
