/**
 * Every date and time the app shows goes through here, so they all read alike: in the
 * viewer's locale, relative while recent ("5 minutes ago", "yesterday"), else a medium date
 * with a short time. Calendar days (`YYYY-MM-DD`, due dates) are days, not instants: they are
 * never shifted by the viewer's time zone.
 *
 * Pure: the current time is always passed in (`now`), so tests name it; components get it
 * from `useNow()` (./use-now.ts).
 */

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS

/** Instants as the app meets them: epoch ms, ISO strings from the API, or a Date. */
export type Instant = number | string | Date

/** Relative text up to this many calendar days away; older or later ones show the date. */
const RELATIVE_DAYS = 6

/** Formatted calendar days kept per formatter set (a day's text never changes). */
const DAY_TEXTS_MAX = 4096

export interface DateFormatOptions {
  /** BCP 47 locale; `undefined` is the viewer's (the browser's language). */
  locale?: string
  /** IANA zone for instants; `undefined` is the viewer's. */
  timeZone?: string
}

/** The formatters for one locale and zone. The app uses the viewer's set exported below. */
export function createDateFormat(opts: DateFormatOptions = {}) {
  const { locale } = opts
  const timeZone = opts.timeZone ?? browserTimeZone()
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  const dateTime = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone,
  })
  // A calendar day is read at UTC midnight and formatted in UTC: no zone can move it.
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' })
  const dayTexts = new Map<string, string>()
  const shortDay = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  })

  /** The full date and time of an instant (tooltips, and instants that are not recent). */
  function exact(at: Instant): string {
    const ms = toMs(at)
    return Number.isFinite(ms) ? dateTime.format(ms) : ''
  }

  return {
    exact,

    /**
     * An instant relative to `now` while within a few days ("now", "5 minutes ago",
     * "3 hours ago", "yesterday", "in 2 days"), else its date and time.
     */
    when(at: Instant, now: number): string {
      const ms = toMs(at)
      if (!Number.isFinite(ms)) return ''
      const diff = ms - now // negative: in the past
      const abs = Math.abs(diff)
      const sign = diff < 0 ? -1 : 1
      // Clocks disagree by a little: a comment written "now" on a fast device is not "in 1 minute".
      if (abs < MINUTE_MS) return relative.format(0, 'second')
      if (abs < HOUR_MS) return relative.format(sign * Math.floor(abs / MINUTE_MS), 'minute')
      const days = dayNumber(localDate(ms, timeZone)) - dayNumber(localDate(now, timeZone))
      if (days === 0 || abs < 12 * HOUR_MS)
        return relative.format(sign * Math.floor(abs / HOUR_MS), 'hour')
      if (Math.abs(days) <= RELATIVE_DAYS) return relative.format(days, 'day')
      return exact(ms)
    },

    /** A calendar day `YYYY-MM-DD` as a medium date (`Jan 15, 2030`, `15 Jan 2030`). */
    day(date: string): string {
      // List rows and cards format the same few hundred days over and over while scrolling.
      let shown = dayTexts.get(date)
      if (shown === undefined) {
        const utc = calendarDay(date)
        shown = utc === null ? date : day.format(utc)
        if (dayTexts.size >= DAY_TEXTS_MAX) dayTexts.clear()
        dayTexts.set(date, shown)
      }
      return shown
    },

    /** A calendar day without its year, for chart axes (`Nov 26`, `26 Nov`). */
    shortDay(date: string): string {
      const utc = calendarDay(date)
      return utc === null ? date : shortDay.format(utc)
    },
  }
}

export type DateFormat = ReturnType<typeof createDateFormat>

/** The viewer's formatters (locale and zone of the browser). */
export const viewerDates: DateFormat = createDateFormat()

/** The browser's IANA zone. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

/** `YYYY-MM-DD` of the instant `at` on the wall calendar of `timeZone`. */
export function localDate(at: number, timeZone: string = browserTimeZone()): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at)
}

/** Epoch ms of an instant; NaN when it is not one (formatters then show nothing). */
export function toMs(at: Instant): number {
  return typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime()
}

/** `YYYY-MM-DD` as epoch ms at UTC midnight; null for anything else (shown as given). */
function calendarDay(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null
}

function dayNumber(date: string): number {
  return (calendarDay(date) ?? 0) / DAY_MS
}
