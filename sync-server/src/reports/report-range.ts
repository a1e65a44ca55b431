import { ERROR_CODES } from '@taskflow/api'
import { AppError } from '../http/app-error.js'
import { dateOfDay, dayNumber, localDate } from './zoned-time.js'

/**
 * The most days one report covers, both ends included: a year, leap day included. Every
 * day-by-day loop over a range is capped by it, so a report's work and answer stay small.
 */
export const MAX_RANGE_DAYS = 366

/**
 * `from` and `to` must fall within this many years of today (by the server's clock): wider
 * than any real history or plan, and far enough from year 9999 that date arithmetic never
 * leaves four-digit years.
 */
export const MAX_YEARS_FROM_TODAY = 100

/** A date range of a report, resolved and checked. */
export interface Range {
  from: string
  to: string
  timeZone: string
}

const invalid = (message: string) => new AppError(400, ERROR_CODES.validation, message)

/**
 * `from`/`to` with defaults (the last `defaultDays` days up to today in the zone), checked:
 * `from` not after `to`, at most MAX_RANGE_DAYS days, both within MAX_YEARS_FROM_TODAY years
 * of today. Throws AppError 400 `validation_failed` otherwise.
 */
export function toRange(
  q: { from?: string; to?: string; tz?: string },
  now: number,
  defaultDays: number,
): Range {
  const timeZone = q.tz ?? 'UTC'
  const today = localDate(now, timeZone)
  const year = Number(today.slice(0, 4))
  const earliest = `${String(Math.max(0, year - MAX_YEARS_FROM_TODAY)).padStart(4, '0')}-01-01`
  const latest = `${Math.min(9999, year + MAX_YEARS_FROM_TODAY)}-12-31`
  // Checked here too, not only by the query schema: the loops downstream rely on it.
  const day = (name: string, date: string) => {
    let n: number
    try {
      n = dayNumber(date)
    } catch {
      throw invalid(`${name} must be a date YYYY-MM-DD`)
    }
    if (n < dayNumber(earliest) || n > dayNumber(latest)) {
      throw invalid(`${name} must fall between ${earliest} and ${latest}`)
    }
    return n
  }
  const toDay = q.to === undefined ? dayNumber(today) : day('to', q.to)
  const fromDay = q.from === undefined ? toDay - (defaultDays - 1) : day('from', q.from)
  const days = toDay - fromDay + 1
  if (days < 1) throw invalid('from must not be after to')
  if (days > MAX_RANGE_DAYS) throw invalid(`a range spans at most ${MAX_RANGE_DAYS} days`)
  return { from: dateOfDay(fromDay), to: dateOfDay(toDay), timeZone }
}
