import { addDays, type CalendarMode, type TimelineZoom, weekStart } from '@taskflow/board'

/*
 * Date math of the calendar and timeline views. Every day is a `YYYY-MM-DD` calendar day,
 * computed at UTC midnight: a day is never an instant, so no time zone or DST change can
 * shift one (a drag across the March DST change is still "two days later"). "Today" always
 * comes in as an argument (the view's `env.today`), never from the clock.
 */

const DAY_MS = 86_400_000

/** Days from `a` to `b` (negative when `b` is earlier). */
export function diffDays(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a)
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` day (read by hand: the month grid calls it a lot). */
export function dayNumber(d: string): number {
  return Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / DAY_MS
}

/** Weekday of a day: 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay()
}

/** The first day of the month holding `date`. */
export function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`
}

/** `date` moved by `months`, its day clamped to the target month (Jan 31 + 1 → Feb 28). */
export function addMonths(date: string, months: number): string {
  const y = Number(date.slice(0, 4))
  const m = Number(date.slice(5, 7)) - 1 + months
  const d = Number(date.slice(8, 10))
  const first = new Date(Date.UTC(y, m, 1))
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate()
  first.setUTCDate(Math.min(d, last))
  return first.toISOString().slice(0, 10)
}

const weekStarts = new Map<string, number>()

/**
 * The first day of the week in `locale`: 0 = Sunday … 6 = Saturday. Read from
 * `Intl.Locale#getWeekInfo()` (or the older `weekInfo` getter) where the engine has it
 * (Chromium, Safari); elsewhere (Firefox today) the fallback is Monday, the ISO 8601 week
 * that most of the world uses. The view state may override it (`wso` in the URL).
 */
export function localeWeekStart(locale?: string): number {
  const tag = locale ?? (typeof navigator === 'undefined' ? 'en-GB' : navigator.language)
  // Kept per tag: the views and the filters ask on every render, and an Intl.Locale costs.
  let first = weekStarts.get(tag)
  if (first === undefined) {
    first = readWeekStart(tag)
    weekStarts.set(tag, first)
  }
  return first
}

function readWeekStart(tag: string): number {
  try {
    const loc = new Intl.Locale(tag) as Intl.Locale & {
      getWeekInfo?: () => { firstDay: number }
      weekInfo?: { firstDay: number }
    }
    const info = loc.getWeekInfo?.() ?? loc.weekInfo
    // weekInfo counts 1 = Monday … 7 = Sunday.
    if (info && info.firstDay >= 1 && info.firstDay <= 7) return info.firstDay % 7
  } catch {
    // An unknown locale tag: the fallback below.
  }
  return 1
}

/** The weeks (rows of 7 days) that show the month holding `anchor`, whole weeks only. */
export function monthGrid(anchor: string, weekStartsOn: number): string[][] {
  const first = monthStart(anchor)
  const nextMonth = addMonths(first, 1)
  const weeks: string[][] = []
  for (let start = weekStart(first, weekStartsOn); start < nextMonth; start = addDays(start, 7)) {
    weeks.push(Array.from({ length: 7 }, (_, i) => addDays(start, i)))
  }
  return weeks
}

/** The 7 days of the week holding `anchor`. */
export function weekDays(anchor: string, weekStartsOn: number): string[] {
  const start = weekStart(anchor, weekStartsOn)
  return Array.from({ length: 7 }, (_, i) => addDays(start, i))
}

/** The days a task covers: start→due, or its one dated day; null when it has no date. */
export function taskSpan(t: {
  startDate: string | null
  dueDate: string | null
}): { start: string; end: string } | null {
  const start = t.startDate ?? t.dueDate
  const end = t.dueDate ?? t.startDate
  if (start === null || end === null) return null
  return start <= end ? { start, end } : { start: end, end: start }
}

export interface SpanItem {
  id: string
  start: string
  end: string
}

/** A span's piece in one row of days: columns `from`..`to` (inclusive) in lane `lane`. */
export interface PlacedSpan<T extends SpanItem = SpanItem> {
  item: T
  from: number
  to: number
  lane: number
  /** The span began before this row / goes on after it (drawn with an open end). */
  before: boolean
  after: boolean
}

/**
 * Lays the spans that touch the row of `days` into lanes: each span takes the lowest lane
 * free on all its days, longer spans first so multi-day bars stay straight (as Google
 * Calendar and Outlook do). Ties keep the input order, so the layout is stable.
 */
export function layoutLanes<T extends SpanItem>(items: readonly T[], days: readonly string[]) {
  const first = days[0]!
  const last = days[days.length - 1]!
  // Columns by day text: no date parsing per task (a month of 2,000 tasks calls this 5 times).
  const col = new Map(days.map((d, c) => [d, c]))
  const inRow: { item: T; from: number; to: number; i: number }[] = []
  items.forEach((item, i) => {
    if (item.start > last || item.end < first) return
    const from = item.start < first ? 0 : col.get(item.start)!
    const to = item.end > last ? days.length - 1 : col.get(item.end)!
    inRow.push({ item, from, to, i })
  })
  inRow.sort((a, b) => a.from - b.from || b.to - b.from - (a.to - a.from) || a.i - b.i)
  // lanes[l] = the last column taken in lane l.
  const lanes: number[] = []
  const placed: PlacedSpan<T>[] = []
  // Lanes below `low` are full up to the current start column (spans come by start).
  let low = 0
  let lastFrom = -1
  for (const s of inRow) {
    if (s.from !== lastFrom) {
      low = 0
      lastFrom = s.from
    }
    let lane = low
    while (lane < lanes.length && lanes[lane]! >= s.from) lane++
    low = lane + 1
    lanes[lane] = s.to
    placed.push({
      item: s.item,
      from: s.from,
      to: s.to,
      lane,
      before: s.item.start < first,
      after: s.item.end > last,
    })
  }
  return { placed, lanes: lanes.length }
}

/**
 * The spans of `items` that touch each row of days (`rows` as `monthGrid` gives them), in
 * the input order: one pass over the items for the whole grid, so each row lays out only its
 * own spans, and a span outside the rows shown costs nothing more.
 */
export function spansByRow<T extends SpanItem>(
  items: readonly T[],
  rows: readonly (readonly string[])[],
): T[][] {
  const out = rows.map((): T[] => [])
  if (rows.length === 0) return out
  const first = rows[0]![0]!
  const last = rows.at(-1)!.at(-1)!
  for (const item of items) {
    if (item.start > last || item.end < first) continue
    for (let r = 0; r < rows.length; r++) {
      const days = rows[r]!
      if (item.start <= days.at(-1)! && item.end >= days[0]!) out[r]!.push(item)
    }
  }
  return out
}

export interface TaskDates {
  startDate: string | null
  dueDate: string | null
}

/**
 * The dates after dropping a task on `day`. A dated task keeps its length and moves so its
 * due day (or its only day) lands on `day`; an unscheduled one gets `day` as due date.
 */
export function dropOnDay(t: TaskDates, day: string): TaskDates {
  if (t.dueDate !== null) {
    const delta = diffDays(t.dueDate, day)
    return {
      startDate: t.startDate === null ? null : addDays(t.startDate, delta),
      dueDate: day,
    }
  }
  if (t.startDate !== null) return { startDate: day, dueDate: null }
  return { startDate: null, dueDate: day }
}

/** Both dates moved by `days` (a timeline bar dragged); missing dates stay missing. */
export function shiftDates(t: TaskDates, days: number): TaskDates {
  return {
    startDate: t.startDate === null ? null : addDays(t.startDate, days),
    dueDate: t.dueDate === null ? null : addDays(t.dueDate, days),
  }
}

/**
 * One edge of a bar dragged by `days`. The edge stops at the other one (a task is at
 * least one day long); a task with one date gains the other when its edge is pulled.
 */
export function resizeDates(t: TaskDates, edge: 'start' | 'end', days: number): TaskDates {
  const span = taskSpan(t)
  if (!span) return t
  if (edge === 'start') {
    const start = addDays(span.start, days)
    return { startDate: earlier(start, span.end), dueDate: t.dueDate ?? span.end }
  }
  const end = addDays(span.end, days)
  return { startDate: t.startDate ?? span.start, dueDate: later(end, span.start) }
}

/** The earlier / later of two days (`YYYY-MM-DD` compares as text). */
export function earlier(a: string, b: string): string {
  return a < b ? a : b
}
export function later(a: string, b: string): string {
  return a > b ? a : b
}

/** Whole days a pointer moved, `px` over days `dayWidth` wide (half a day rounds). */
export function pxToDays(px: number, dayWidth: number): number {
  return Math.round(px / dayWidth) || 0
}

/** The anchor after prev (-1) / next (+1) in a calendar mode. */
export function stepCalendar(anchor: string, mode: CalendarMode, dir: -1 | 1): string {
  return mode === 'month' ? addMonths(anchor, dir) : addDays(anchor, 7 * dir)
}

/** Pixels per day and days shown, per zoom. */
export const ZOOM: Record<TimelineZoom, { dayWidth: number; days: number }> = {
  day: { dayWidth: 40, days: 42 },
  week: { dayWidth: 14, days: 7 * 16 },
  month: { dayWidth: 4, days: 366 },
}

/** The first day a timeline shows: a little before the anchor, on a week/month boundary. */
export function timelineStart(anchor: string, zoom: TimelineZoom, weekStartsOn: number): string {
  if (zoom === 'day') return addDays(weekStart(anchor, weekStartsOn), -7)
  if (zoom === 'week') return addDays(weekStart(anchor, weekStartsOn), -28)
  return addMonths(monthStart(anchor), -2)
}

/** The anchor after prev / next on a timeline: a third of what it shows. */
export function stepTimeline(anchor: string, zoom: TimelineZoom, dir: -1 | 1): string {
  if (zoom === 'month') return addMonths(anchor, 4 * dir)
  return addDays(anchor, Math.round(ZOOM[zoom].days / 3) * dir)
}
