import { describe, expect, it } from 'vitest'
import {
  addDays,
  canonicalTimeZone,
  dateOfDay,
  dateRange,
  dayNumber,
  localDate,
  startOfDay,
  weekStart,
} from './zoned-time.js'

describe('calendar dates', () => {
  it('reads only real YYYY-MM-DD dates in years 0000–9999', () => {
    expect(dayNumber('1970-01-01')).toBe(0)
    expect(dayNumber('2024-02-29')).toBe(19_782)
    for (const bad of [
      '2026-02-30',
      '2025-02-29',
      '2100-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-1-01',
      '+010000-01-01',
      '-000001-01-01',
      '2026-01-01T00:00:00Z',
      ' 2026-01-01',
      '',
    ]) {
      expect(() => dayNumber(bad), bad).toThrow(RangeError)
    }
  })

  it('refuses to step past year 9999 instead of writing an expanded year', () => {
    expect(addDays('9999-12-30', 1)).toBe('9999-12-31')
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError)
    expect(() => addDays('0000-01-01', -1)).toThrow(RangeError)
    expect(() => dateOfDay(0.5)).toThrow(RangeError)
  })

  it('lists the dates of a range, and throws rather than list more than the cap', () => {
    expect(dateRange('2026-12-30', '2027-01-02', 4)).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ])
    expect(dateRange('2026-01-02', '2026-01-01', 4)).toEqual([])
    expect(() => dateRange('2026-12-30', '2027-01-03', 4)).toThrow(RangeError)
  })

  it('finds the Monday of a week on either side of 1970', () => {
    expect(weekStart('2026-11-08')).toBe('2026-11-02') // Sunday
    expect(weekStart('2026-11-02')).toBe('2026-11-02')
    expect(weekStart('1970-01-01')).toBe('1969-12-29')
    expect(weekStart('1969-12-28')).toBe('1969-12-22')
  })
})

describe('time zones', () => {
  it('names each known zone by its canonical spelling and knows no made-up zone', () => {
    expect(canonicalTimeZone('utc')).toBe('UTC')
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin')
    for (const bad of ['Mars/Olympus', 'Europe/Berlin ', '+25:00', '', 'x'.repeat(200)]) {
      expect(canonicalTimeZone(bad), bad).toBeNull()
    }
  })

  it('starts local days at local midnight across a DST change', () => {
    // Berlin leaves summer time on 25 October 2026: that day lasts 25 hours.
    const start = startOfDay('2026-10-25', 'Europe/Berlin')
    expect(new Date(start).toISOString()).toBe('2026-10-24T22:00:00.000Z')
    expect(startOfDay('2026-10-26', 'Europe/Berlin') - start).toBe(25 * 3_600_000)
    expect(localDate(start, 'Europe/Berlin')).toBe('2026-10-25')
  })
})
