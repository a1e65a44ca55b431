import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFormatters, DURATION_UNITS, durationUnitFor, formatDuration } from './format'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR

// Named locales, so each expectation is the exact text a viewer with that locale reads.
const us = createFormatters('en-US')
const uk = createFormatters('en-GB')
const de = createFormatters('de-DE')

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('formatDuration', () => {
  it('says "< 1 min" for moves within a minute instead of rounding up to hours', () => {
    expect(formatDuration(912)).toBe('< 1 min')
    expect(formatDuration(59_999)).toBe('< 1 min')
  })

  it('uses whole minutes under an hour, hours under a day, then days, one decimal', () => {
    expect(us.formatDuration(12 * MIN + 20_000)).toBe('12 min')
    expect(us.formatDuration(3 * HOUR)).toBe('3 h')
    expect(us.formatDuration(5.5 * HOUR)).toBe('5.5 h')
    expect(us.formatDuration(1.25 * DAY)).toBe('1.3 d')
    expect(de.formatDuration(5.5 * HOUR)).toBe('5,5 h')
    expect(de.formatDuration(1.25 * DAY)).toBe('1,3 d')
  })
})

describe('durationUnitFor', () => {
  it('picks the unit that keeps the longest time shown readable', () => {
    expect(durationUnitFor(912)).toBe(DURATION_UNITS.seconds)
    expect(durationUnitFor(5 * MIN)).toBe(DURATION_UNITS.minutes)
    expect(durationUnitFor(5 * HOUR)).toBe(DURATION_UNITS.hours)
    expect(durationUnitFor(3 * DAY)).toBe(DURATION_UNITS.days)
  })
})

describe('formatNumber', () => {
  it('drops floating-point noise from sums of estimates', () => {
    expect(us.formatNumber(0.1 + 0.2)).toBe('0.3')
    expect(us.formatNumber(2, 0)).toBe('2')
    expect(us.formatNumber(2.25, 0)).toBe('2')
  })

  it('groups thousands and marks decimals the way the viewer’s locale does', () => {
    expect(us.formatNumber(12_345, 0)).toBe('12,345')
    expect(us.formatNumber(1_234.56)).toBe('1,234.6')
    expect(de.formatNumber(12_345, 0)).toBe('12.345')
    expect(de.formatNumber(1_234.56)).toBe('1.234,6')
  })
})

describe('calendar dates', () => {
  it.each(['America/Los_Angeles', 'UTC', 'Pacific/Kiritimati'])(
    'reads YYYY-MM-DD as a calendar day, the same in %s',
    (zone) => {
      // A Date at UTC midnight formatted in local time would show the day before west of
      // Greenwich; Node applies a changed TZ at once.
      vi.stubEnv('TZ', zone)
      expect(us.shortDate('2026-11-26')).toBe('Nov 26')
      expect(uk.shortDate('2026-11-26')).toBe('26 Nov')
      expect(de.shortDate('2026-11-26')).toBe('26. Nov.')
    },
  )
})
