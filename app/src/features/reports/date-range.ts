import type { ReportRange } from '../../api/reports.api'
import { browserTimeZone, localDate } from '../../ui/dates'

export { browserTimeZone, localDate }

/** The ranges the page offers; the server caps ranges at 366 days. */
export const RANGE_CHOICES = [14, 30, 90] as const
export type RangeDays = (typeof RANGE_CHOICES)[number]

/** Calendar arithmetic on `YYYY-MM-DD` (no time zone involved: whole days). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/** The last `days` days up to and including today, in `timeZone`. */
export function lastDays(days: RangeDays, now: number, timeZone: string): ReportRange {
  const to = localDate(now, timeZone)
  return { from: addDays(to, -(days - 1)), to, timeZone }
}
