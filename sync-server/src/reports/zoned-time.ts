/** Calendar-day arithmetic in an IANA time zone, with no library: Intl gives the offsets. */

const DAY = 86_400_000
const formatters = new Map<string, Intl.DateTimeFormat>()

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
    formatters.set(tz, f)
  }
  return f
}

/** True when `tz` is a time zone this runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    formatter(tz)
    return true
  } catch {
    return false
  }
}

// Milliseconds to add to UTC to get the wall clock of `tz` at instant `ts`.
function offsetAt(ts: number, tz: string): number {
  const p: Record<string, number> = {}
  for (const part of formatter(tz).formatToParts(new Date(ts))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value)
  }
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!)
  return wall - Math.floor(ts / 1000) * 1000
}

/** The local calendar date `YYYY-MM-DD` of instant `ts` in `tz`. */
export function localDate(ts: number, tz: string): string {
  return new Date(ts + offsetAt(ts, tz)).toISOString().slice(0, 10)
}

/** The instant local midnight starts `date` in `tz` (DST-aware). */
export function startOfDay(date: string, tz: string): number {
  const guess = Date.parse(`${date}T00:00:00Z`)
  let ts = guess - offsetAt(guess, tz)
  // The offset at the guess can differ from the offset at the answer across a DST change.
  ts = guess - offsetAt(ts, tz)
  return ts
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10)
}

/** Whole days from `a` to `b` (dates). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY)
}

/** The Monday of `date`'s ISO week. */
export function weekStart(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay()
  return addDays(date, -((dow + 6) % 7))
}

/** Dates from `from` to `to` inclusive. */
export function dateRange(from: string, to: string): string[] {
  const out: string[] = []
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d)
  return out
}
