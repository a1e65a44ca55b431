import { describe, expect, it } from 'vitest'
import { dateFormat, formatDay, weekdayNames } from './formats'

describe('kept date formatters', () => {
  it('one formatter per locale and options, reused', () => {
    const a = dateFormat({ month: 'long', timeZone: 'UTC' }, 'en-GB')
    expect(dateFormat({ month: 'long', timeZone: 'UTC' }, 'en-GB')).toBe(a)
    expect(dateFormat({ month: 'long', timeZone: 'UTC' }, 'de-DE')).not.toBe(a)
    expect(dateFormat({ month: 'short', timeZone: 'UTC' }, 'en-GB')).not.toBe(a)
  })

  it('a day is formatted as that calendar day, whatever the time zone', () => {
    expect(
      formatDay('2026-12-01', { day: 'numeric', month: 'long', year: 'numeric' }, 'en-GB'),
    ).toBe('1 December 2026')
  })

  it('week day names are Sunday first, in the locale', () => {
    expect(weekdayNames('en-GB')).toEqual(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'])
    expect(weekdayNames('de-DE', 'long')[1]).toBe('Montag')
    expect(weekdayNames('en-GB')).toBe(weekdayNames('en-GB'))
  })
})
