import { describe, expect, it } from 'vitest'
import {
  DURATION_UNITS,
  durationUnitFor,
  formatDuration,
  formatNumber,
  mediumDate,
  shortDate,
} from './format'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR

describe('formatDuration', () => {
  it('says "< 1 min" for moves within a minute instead of rounding up to hours', () => {
    expect(formatDuration(912)).toBe('< 1 min')
    expect(formatDuration(59_999)).toBe('< 1 min')
  })

  it('uses whole minutes under an hour, hours under a day, then days', () => {
    expect(formatDuration(12 * MIN + 20_000)).toBe('12 min')
    expect(formatDuration(3 * HOUR)).toBe('3 h')
    expect(formatDuration(5.5 * HOUR)).toBe(`${formatNumber(5.5)} h`)
    expect(formatDuration(1.25 * DAY)).toBe(`${formatNumber(1.3)} d`)
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
    expect(formatNumber(0.1 + 0.2)).toBe(formatNumber(0.3))
    expect(formatNumber(2, 0)).toBe('2')
  })

  it('groups thousands the way the viewer’s locale does', () => {
    expect(formatNumber(12_345, 0)).toBe((12_345).toLocaleString())
  })
})

describe('calendar dates', () => {
  it('reads YYYY-MM-DD as a calendar day whatever the viewer’s time zone', () => {
    // A Date at UTC midnight would show the day before west of Greenwich if formatted locally.
    expect(shortDate('2026-11-26')).toBe(
      new Date(Date.UTC(2026, 10, 26)).toLocaleDateString(undefined, {
        day: 'numeric',
        month: 'short',
        timeZone: 'UTC',
      }),
    )
    expect(mediumDate('2020-01-15')).toContain('2020')
  })
})
