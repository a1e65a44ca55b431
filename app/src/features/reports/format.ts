import { createDateFormat } from '../../ui/dates'

const SECOND_MS = 1_000
const MINUTE_MS = 60 * SECOND_MS
const HOUR_MS = 60 * MINUTE_MS
export const DAY_MS = 24 * HOUR_MS

/**
 * The report formatters for one locale (`undefined`: the viewer's, as the browser reports
 * it). The app uses the viewer's set exported below; tests name a locale so they can state
 * the exact text.
 */
export function createFormatters(locale?: string) {
  const numberFormats = new Map<number, Intl.NumberFormat>()
  const dates = createDateFormat({ locale })

  /**
   * A figure in the locale (`1234.5` → `1,234.5`), at most `fractionDigits` decimals:
   * sums of estimates such as 0.1 + 0.2 must not show floating-point noise.
   */
  function formatNumber(value: number, fractionDigits = 1): string {
    let f = numberFormats.get(fractionDigits)
    if (!f) {
      f = new Intl.NumberFormat(locale, { maximumFractionDigits: fractionDigits })
      numberFormats.set(fractionDigits, f)
    }
    return f.format(value)
  }

  return {
    formatNumber,

    /**
     * A cycle time as a reader compares them: `45 s` is `< 1 min`, then minutes, hours
     * (one decimal) and days (one decimal): `12 min`, `5.5 h`, `1.3 d`.
     */
    formatDuration(ms: number): string {
      if (ms < MINUTE_MS) return '< 1 min'
      if (ms < HOUR_MS) return `${formatNumber(ms / MINUTE_MS, 0)} min`
      if (ms < DAY_MS) return `${formatNumber(ms / HOUR_MS)} h`
      return `${formatNumber(ms / DAY_MS)} d`
    },

    /** `2026-11-26` → `26 Nov` (en-GB), for axis ticks (the app's one format, ui/dates.ts). */
    shortDate: dates.shortDay,
  }
}

/** The viewer's formatters. Plain functions: charts pass them as callbacks (`tickFormatter`). */
export const { formatNumber, formatDuration, shortDate } = createFormatters()

/** Axis ticks of counts and points. */
export const formatTick = (value: number) => formatNumber(value)

/** A unit for an axis of durations. */
export interface DurationUnit {
  ms: number
  /** Short suffix for axis ticks: `s`, `min`, `h`, `d`. */
  suffix: string
}
export const DURATION_UNITS = {
  seconds: { ms: SECOND_MS, suffix: 's' },
  minutes: { ms: MINUTE_MS, suffix: 'min' },
  hours: { ms: HOUR_MS, suffix: 'h' },
  days: { ms: DAY_MS, suffix: 'd' },
} as const satisfies Record<string, DurationUnit>

/** The largest unit that keeps the longest duration shown at 2 or more (ticks stay distinct). */
export function durationUnitFor(maxMs: number): DurationUnit {
  if (maxMs < 2 * MINUTE_MS) return DURATION_UNITS.seconds
  if (maxMs < 2 * HOUR_MS) return DURATION_UNITS.minutes
  if (maxMs < 2 * DAY_MS) return DURATION_UNITS.hours
  return DURATION_UNITS.days
}
