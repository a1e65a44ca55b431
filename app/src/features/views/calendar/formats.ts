/*
 * Date formatters of the calendar and timeline, made once per locale and options and kept:
 * building an `Intl.DateTimeFormat` loads the locale's data and costs about a millisecond
 * (more on the first one), and the views rendered four of them on every render — the
 * Calendar tab's first click paid for them on top of drawing the month.
 */

const formats = new Map<string, Intl.DateTimeFormat>()

/** A kept `Intl.DateTimeFormat` for `locale` (the browser's when undefined) and `options`. */
export function dateFormat(
  options: Intl.DateTimeFormatOptions,
  locale?: string,
): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`
  let f = formats.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options)
    formats.set(key, f)
  }
  return f
}

/** A `YYYY-MM-DD` day formatted by a kept formatter (the day at UTC midnight). */
export function formatDay(day: string, options: Intl.DateTimeFormatOptions, locale?: string) {
  return dateFormat({ ...options, timeZone: 'UTC' }, locale).format(Date.parse(`${day}T00:00:00Z`))
}

const weekdays = new Map<string, readonly string[]>()

/** Names of the week days in `locale`, Sunday first (index = weekday number); kept. */
export function weekdayNames(
  locale?: string,
  width: 'short' | 'long' = 'short',
): readonly string[] {
  const key = `${locale ?? ''}|${width}`
  let names = weekdays.get(key)
  if (!names) {
    const f = dateFormat({ weekday: width, timeZone: 'UTC' }, locale)
    // 2026-11-29 is a Sunday.
    names = Array.from({ length: 7 }, (_, i) => f.format(Date.UTC(2026, 10, 29 + i)))
    weekdays.set(key, names)
  }
  return names
}
