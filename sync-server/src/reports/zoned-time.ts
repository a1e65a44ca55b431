/** Calendar-day arithmetic in an IANA time zone, with no library: Intl gives the offsets. */

const DAY = 86_400_000
const formatters = new Map<string, Intl.DateTimeFormat>()

// Keyed by canonical zone name only, so the cache holds at most one formatter per zone the
// runtime knows, whatever spellings (`utc`, `europe/BERLIN`, ...) requests send.
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    const canonical = f.resolvedOptions().timeZone
    if (canonical !== tz) return formatters.get(canonical) ?? f
    formatters.set(tz, f)
  }
  return f
}

/**
 * The canonical name of time zone `tz`, or null when this runtime does not know it: the
 * contract's (`@taskflow/api`), which reads the `tz` query parameter of every report.
 */
export { canonicalTimeZone } from '@taskflow/api'

// Milliseconds to add to UTC to get the wall clock of `tz` at instant `ts`.
function offsetAt(ts: number, tz: string): number {
  const p: Record<string, number> = {}
  for (const part of formatter(tz).formatToParts(new Date(ts))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value)
  }
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!)
  return wall - Math.floor(ts / 1000) * 1000
}

/*
 * Dates are `YYYY-MM-DD` strings at the edges and day numbers (days since 1970-01-01) inside:
 * arithmetic and comparisons are on numbers, and a date string exists only for years
 * 0000–9999, where string order is date order.
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** Days since 1970-01-01 of `date`. Throws RangeError unless it is a real `YYYY-MM-DD` date. */
export function dayNumber(date: string): number {
  const ms = ISO_DATE.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN
  // Date.parse rolls 2026-02-30 over to 2 March: only a date that reads back the same is real.
  if (Number.isNaN(ms) || dateOfDay(ms / DAY) !== date) {
    throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`)
  }
  return ms / DAY
}

/** The `YYYY-MM-DD` of day number `day`. Throws RangeError outside years 0000–9999. */
export function dateOfDay(day: number): string {
  const iso = Number.isSafeInteger(day) ? new Date(day * DAY).toISOString() : ''
  // Years past 9999 or before 0 come out as `+010000-01-01T…` or `-000001-…`.
  if (iso.length !== 24) throw new RangeError(`day ${day} is outside years 0000–9999`)
  return iso.slice(0, 10)
}

/** The local calendar date `YYYY-MM-DD` of instant `ts` in `tz`. */
export function localDate(ts: number, tz: string): string {
  return new Date(ts + offsetAt(ts, tz)).toISOString().slice(0, 10)
}

/** The instant local midnight starts `date` in `tz` (DST-aware). */
export function startOfDay(date: string, tz: string): number {
  const guess = dayNumber(date) * DAY
  let ts = guess - offsetAt(guess, tz)
  // The offset at the guess can differ from the offset at the answer across a DST change.
  ts = guess - offsetAt(ts, tz)
  return ts
}

export function addDays(date: string, days: number): string {
  return dateOfDay(dayNumber(date) + days)
}

/** Whole days from `a` to `b` (dates). */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a)
}

/** The Monday of `date`'s ISO week. */
export function weekStart(date: string): string {
  const day = dayNumber(date)
  // Day 0, 1970-01-01, was a Thursday: 3 days after a Monday.
  const sinceMonday = (((day + 3) % 7) + 7) % 7
  return dateOfDay(day - sinceMonday)
}

/**
 * Dates from `from` to `to` inclusive (none when `from` is after `to`). Throws RangeError
 * when that is more than `maxDays` dates, so no input can make it run away.
 */
export function dateRange(from: string, to: string, maxDays: number): string[] {
  const first = dayNumber(from)
  const count = dayNumber(to) - first + 1
  if (count > maxDays) throw new RangeError(`${from}..${to} spans more than ${maxDays} days`)
  const out: string[] = []
  for (let i = 0; i < count; i++) out.push(dateOfDay(first + i))
  return out
}
