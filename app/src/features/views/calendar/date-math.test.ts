import { describe, expect, it } from 'vitest'
import { localDate } from '../../../ui/dates'
import {
  addMonths,
  diffDays,
  dropOnDay,
  layoutLanes,
  localeWeekStart,
  monthGrid,
  pxToDays,
  resizeDates,
  shiftDates,
  spansByRow,
  stepCalendar,
  taskSpan,
  weekDays,
} from './date-math'

describe('month grid', () => {
  it('Monday-first: December 2026 starts on Mon Nov 30 and has 5 whole weeks', () => {
    const g = monthGrid('2026-12-17', 1)
    expect(g).toHaveLength(5)
    expect(g[0]![0]).toBe('2026-11-30')
    expect(g[4]![6]).toBe('2027-01-03')
    expect(g.every((w) => w.length === 7)).toBe(true)
  })

  it('Sunday-first: the grid starts on Sun Nov 29', () => {
    const g = monthGrid('2026-12-01', 0)
    expect(g[0]![0]).toBe('2026-11-29')
    expect(g.at(-1)![6]).toBe('2027-01-02')
  })

  it('Saturday-first (e.g. fa-AF / ar-EG style weeks)', () => {
    const g = monthGrid('2026-12-01', 6)
    expect(g[0]![0]).toBe('2026-11-28')
    expect(g[0]).toContain('2026-12-01')
  })

  it('a month starting on the week start has no leading days; February 2027 Monday-first: 4 weeks', () => {
    expect(monthGrid('2027-02-10', 1)).toHaveLength(4)
    expect(monthGrid('2027-02-10', 1)[0]![0]).toBe('2027-02-01')
    // A 31-day month starting on Saturday needs six rows Monday-first.
    expect(monthGrid('2026-08-01', 1)).toHaveLength(6)
  })

  it('week days follow the first day of the week', () => {
    expect(weekDays('2026-12-04', 1)[0]).toBe('2026-11-30')
    expect(weekDays('2026-12-04', 0)[0]).toBe('2026-11-29')
    expect(weekDays('2026-12-04', 0)[6]).toBe('2026-12-05')
  })

  it('reads the locale’s first day of the week, Monday when unknown', () => {
    const us = localeWeekStart('en-US')
    const de = localeWeekStart('de-DE')
    // Engines without weekInfo answer the documented fallback (Monday) for both.
    expect([0, 1]).toContain(us)
    expect(de).toBe(1)
    expect(localeWeekStart('not a locale!!')).toBe(1)
  })

  it('month steps clamp the day', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28')
    expect(addMonths('2026-03-15', -3)).toBe('2025-12-15')
    expect(stepCalendar('2026-12-04', 'week', -1)).toBe('2026-11-27')
    expect(stepCalendar('2026-12-31', 'month', 1)).toBe('2027-01-31')
  })
})

describe('spans by week row', () => {
  it('each row gets the spans that touch it, in input order; spans outside the grid none', () => {
    const rows = monthGrid('2026-12-17', 1) // Mon Nov 30 … Sun Jan 3, 5 rows
    const ids = (r: { id: string }[]) => r.map((s) => s.id)
    const out = spansByRow(
      [
        { id: 'long', start: '2026-12-05', end: '2026-12-15' }, // rows 0, 1, 2
        { id: 'nov', start: '2026-11-10', end: '2026-11-12' }, // before the grid
        { id: 'edge', start: '2026-11-29', end: '2026-11-30' }, // only its last day shown
        { id: 'jan', start: '2027-01-03', end: '2027-01-03' }, // the grid's last day
        { id: 'after', start: '2027-01-04', end: '2027-01-04' },
        { id: 'mid', start: '2026-12-09', end: '2026-12-09' }, // row 1
      ],
      rows,
    )
    expect(out.map(ids)).toEqual([['long', 'edge'], ['long', 'mid'], ['long'], [], ['jan']])
  })

  it('a week view is one row', () => {
    const out = spansByRow(
      [
        { id: 'a', start: '2026-12-01', end: '2026-12-01' },
        { id: 'b', start: '2026-12-08', end: '2026-12-08' },
      ],
      [weekDays('2026-12-02', 1)],
    )
    expect(out).toEqual([[{ id: 'a', start: '2026-12-01', end: '2026-12-01' }]])
  })
})

describe('spans in lanes', () => {
  const days = weekDays('2026-12-02', 1) // Mon Nov 30 … Sun Dec 6

  it('non-overlapping spans share a lane; overlapping ones stack', () => {
    const { placed, lanes } = layoutLanes(
      [
        { id: 'a', start: '2026-11-30', end: '2026-12-01' },
        { id: 'b', start: '2026-12-02', end: '2026-12-02' },
        { id: 'c', start: '2026-12-01', end: '2026-12-03' },
      ],
      days,
    )
    const by = Object.fromEntries(placed.map((p) => [p.item.id, p]))
    expect(lanes).toBe(2)
    expect(by.a).toMatchObject({ from: 0, to: 1, lane: 0 })
    expect(by.c).toMatchObject({ from: 1, to: 3, lane: 1 })
    expect(by.b).toMatchObject({ from: 2, to: 2, lane: 0 })
  })

  it('spans crossing the row are clipped and marked open', () => {
    const { placed } = layoutLanes(
      [
        { id: 'x', start: '2026-11-20', end: '2026-12-10' },
        { id: 'out', start: '2026-12-07', end: '2026-12-08' },
      ],
      days,
    )
    expect(placed).toHaveLength(1)
    expect(placed[0]).toMatchObject({ from: 0, to: 6, before: true, after: true, lane: 0 })
  })

  it('longer spans starting the same day take the lower lane', () => {
    const { placed } = layoutLanes(
      [
        { id: 'short', start: '2026-12-01', end: '2026-12-01' },
        { id: 'long', start: '2026-12-01', end: '2026-12-04' },
      ],
      days,
    )
    expect(placed.find((p) => p.item.id === 'long')!.lane).toBe(0)
  })

  it('a task’s span: start→due, its one date, or nothing', () => {
    expect(taskSpan({ startDate: '2026-12-01', dueDate: '2026-12-03' })).toEqual({
      start: '2026-12-01',
      end: '2026-12-03',
    })
    expect(taskSpan({ startDate: null, dueDate: '2026-12-03' })).toEqual({
      start: '2026-12-03',
      end: '2026-12-03',
    })
    expect(taskSpan({ startDate: null, dueDate: null })).toBeNull()
  })
})

describe('drag → new dates', () => {
  it('dropping on a day moves the due date and keeps the length', () => {
    expect(dropOnDay({ startDate: '2026-12-01', dueDate: '2026-12-03' }, '2026-12-10')).toEqual({
      startDate: '2026-12-08',
      dueDate: '2026-12-10',
    })
    expect(dropOnDay({ startDate: null, dueDate: null }, '2026-12-10')).toEqual({
      startDate: null,
      dueDate: '2026-12-10',
    })
    expect(dropOnDay({ startDate: '2026-12-01', dueDate: null }, '2026-12-10')).toEqual({
      startDate: '2026-12-10',
      dueDate: null,
    })
  })

  it('across DST changes a day is a day (EU 2027-03-28, US 2026-11-01, year end)', () => {
    expect(diffDays('2027-03-27', '2027-03-29')).toBe(2)
    expect(diffDays('2026-10-31', '2026-11-02')).toBe(2)
    expect(shiftDates({ startDate: '2027-03-27', dueDate: '2027-03-28' }, 1)).toEqual({
      startDate: '2027-03-28',
      dueDate: '2027-03-29',
    })
    expect(dropOnDay({ startDate: '2026-10-30', dueDate: '2026-10-31' }, '2026-11-02')).toEqual({
      startDate: '2026-11-01',
      dueDate: '2026-11-02',
    })
    expect(shiftDates({ startDate: '2026-12-31', dueDate: null }, 1)).toEqual({
      startDate: '2027-01-01',
      dueDate: null,
    })
  })

  it('"today" in a DST zone is the wall-calendar day of the injected now', () => {
    // 2027-03-28 00:30 UTC is 01:30 CET, just before Berlin's spring-forward gap.
    expect(localDate(Date.UTC(2027, 2, 28, 0, 30), 'Europe/Berlin')).toBe('2027-03-28')
    // 2026-11-01 04:30 UTC is 23:30 on Oct 31 in Los Angeles (still PDT until 09:00 UTC).
    expect(localDate(Date.UTC(2026, 10, 1, 4, 30), 'America/Los_Angeles')).toBe('2026-10-31')
  })

  it('resizing an edge moves one date and stops at the other', () => {
    const t = { startDate: '2026-12-01', dueDate: '2026-12-05' }
    expect(resizeDates(t, 'end', 3)).toEqual({ startDate: '2026-12-01', dueDate: '2026-12-08' })
    expect(resizeDates(t, 'start', -2)).toEqual({ startDate: '2026-11-29', dueDate: '2026-12-05' })
    expect(resizeDates(t, 'end', -10)).toEqual({ startDate: '2026-12-01', dueDate: '2026-12-01' })
    expect(resizeDates(t, 'start', 10)).toEqual({ startDate: '2026-12-05', dueDate: '2026-12-05' })
    // A due-only task pulled at its end gains a start date (its old due day).
    expect(resizeDates({ startDate: null, dueDate: '2026-12-05' }, 'end', 2)).toEqual({
      startDate: '2026-12-05',
      dueDate: '2026-12-07',
    })
  })

  it('pixels to days rounds half a day', () => {
    expect(pxToDays(59, 40)).toBe(1)
    expect(pxToDays(61, 40)).toBe(2)
    expect(pxToDays(-19, 40)).toBe(0)
    expect(pxToDays(-21, 40)).toBe(-1)
  })
})
