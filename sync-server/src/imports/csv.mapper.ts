import {
  CSV_FIELDS,
  type CsvDateFormat,
  type CsvField,
  type CsvPreview,
  ERROR_CODES,
  type ImportSkipped,
  MAX_CSV_ROWS,
} from '@taskflow/api'
import {
  MAX_DESCRIPTION,
  MAX_LABEL_NAME,
  MAX_NAME,
  MAX_TITLE,
  PRIORITIES,
  type Priority,
  stripUnsafeNameChars,
} from '@taskflow/board'
import Papa from 'papaparse'
import { AppError } from '../http/app-error.js'
import type { ImportPlan, PlannedTask } from './import-plan.js'
import { categoryOfList, TRELLO_COLORS } from './trello.mapper.js'

/** Delimiters tried by detection, most common first. */
const DELIMITERS = [',', ';', '\t', '|']

export interface ParsedCsv {
  delimiter: string
  headers: string[]
  rows: Record<string, string>[]
}

/**
 * Parses CSV text with papaparse: a UTF-8 byte order mark is dropped, the delimiter is
 * detected among `, ; TAB |` unless given, quotes are RFC 4180 `"` (doubled inside), the
 * first row is the header. Throws 400 for no header or more than MAX_CSV_ROWS rows.
 */
export function parseCsv(text: string, delimiter?: string): ParsedCsv {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const result = Papa.parse<string[]>(input, {
    delimiter: delimiter ?? '',
    delimitersToGuess: DELIMITERS,
    skipEmptyLines: 'greedy',
    // One more than allowed, so "too many" is told apart from "exactly the limit".
    preview: MAX_CSV_ROWS + 2,
  })
  const [head, ...body] = result.data
  if (!head || head.every((h) => h.trim() === '')) {
    throw new AppError(400, ERROR_CODES.validation, 'The CSV has no header row')
  }
  if (body.length > MAX_CSV_ROWS) {
    throw new AppError(
      413,
      ERROR_CODES.payloadTooLarge,
      `A CSV import takes at most ${MAX_CSV_ROWS} rows`,
    )
  }
  const headers = uniqueHeaders(head.map((h) => h.trim()))
  const rows = body.map((cells) => {
    const row: Record<string, string> = {}
    headers.forEach((h, i) => {
      row[h] = cells[i] ?? ''
    })
    return row
  })
  return { delimiter: result.meta.delimiter, headers, rows }
}

// Two columns named alike would map to one key; the second becomes "Name (2)".
function uniqueHeaders(headers: string[]): string[] {
  const seen = new Map<string, number>()
  return headers.map((h, i) => {
    const name = h.length > 0 ? h : `Column ${i + 1}`
    const n = (seen.get(name) ?? 0) + 1
    seen.set(name, n)
    return n === 1 ? name : `${name} (${n})`
  })
}

const GUESSES: Record<CsvField, RegExp> = {
  title: /^(title|name|summary|task|subject|card name)$/i,
  description: /^(description|desc|details|notes?|body)$/i,
  column: /^(column|status|state|list|stage)$/i,
  priority: /^(priority|prio)$/i,
  startDate: /^(start|start ?date|starts?)$/i,
  dueDate: /^(due|due ?date|deadline|due on)$/i,
  estimate: /^(estimate|points|story ?points|effort)$/i,
  labels: /^(labels?|tags?)$/i,
  assignees: /^(assignees?|assigned ?to|owner|members?)$/i,
  id: /^(id|task ?id|issue ?id|issue ?key|key)$/i,
  parent: /^(parent|parent[ _]?id|parent ?(task|issue)( ?id)?)$/i,
}

/** Which header each field probably is, from the header names. */
export function suggestMapping(headers: readonly string[]): Partial<Record<CsvField, string>> {
  const out: Partial<Record<CsvField, string>> = {}
  for (const field of CSV_FIELDS) {
    const h = headers.find((x) => GUESSES[field].test(x.trim()))
    if (h !== undefined) out[field] = h
  }
  return out
}

export function csvPreview(parsed: ParsedCsv): CsvPreview {
  return {
    delimiter: parsed.delimiter,
    headers: parsed.headers,
    rows: parsed.rows.slice(0, 10),
    rowCount: parsed.rows.length,
    suggestedMapping: suggestMapping(parsed.headers),
  }
}

/** A date cell as `YYYY-MM-DD`, or null when it does not read as a date in `format`. */
export function parseCsvDate(cell: string, format: CsvDateFormat): string | null {
  const s = cell.trim()
  let y: number
  let m: number
  let d: number
  if (format === 'iso') {
    const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s)
    if (!match) return null
    ;[y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
  } else {
    const parts = s.split(/[/.-]/)
    if (parts.length !== 3 || parts.some((p) => !/^\d{1,4}$/.test(p))) return null
    const [a, b, c] = parts.map(Number) as [number, number, number]
    if (format === 'DD/MM/YYYY') [d, m, y] = [a, b, c]
    else if (format === 'MM/DD/YYYY') [m, d, y] = [a, b, c]
    else [y, m, d] = [a, b, c]
    if (y < 1000) return null
  }
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return null
  }
  return date.toISOString().slice(0, 10)
}

const PRIORITY_WORDS: Record<string, Priority> = {
  '': 'none',
  none: 'none',
  low: 'low',
  minor: 'low',
  medium: 'medium',
  normal: 'medium',
  high: 'high',
  major: 'high',
  urgent: 'urgent',
  critical: 'urgent',
  highest: 'urgent',
  blocker: 'urgent',
}

const list = (cell: string) =>
  cell
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)

/**
 * Turns parsed rows into an import plan with `mapping` (field → header). Columns are the
 * distinct values of the mapped `column` header in order of first appearance ("To do"
 * when unmapped or empty), categorised by name like Trello lists; labels are the distinct
 * names of the `labels` cells (split on `,`/`;`); assignees are e-mails. A cell that does
 * not read (a bad date, priority or estimate) is left empty and named in `skipped`; a row
 * without a title is skipped. With `id` and `parent` mapped (our own CSV export's `id` and
 * `parent_id`, Jira's or Linear's parent columns), a row whose parent cell names another
 * row's id becomes its subtask, the parent's subtasks in row order.
 */
export function csvPlan(
  parsed: ParsedCsv,
  opts: {
    name: string
    mapping: Partial<Record<CsvField, string>>
    dateFormat: CsvDateFormat
    now: number
  },
): ImportPlan {
  const { mapping } = opts
  for (const [field, header] of Object.entries(mapping)) {
    if (!parsed.headers.includes(header)) {
      throw new AppError(
        400,
        ERROR_CODES.validation,
        `mapping.${field}: the CSV has no column "${header}"`,
      )
    }
  }
  if (!mapping.title) {
    throw new AppError(400, ERROR_CODES.validation, 'mapping.title: map a column to the title')
  }
  const skipped: ImportSkipped[] = []
  const cell = (row: Record<string, string>, field: CsvField) =>
    mapping[field] ? (row[mapping[field]] ?? '') : ''
  const columns: ImportPlan['columns'] = []
  const columnKeys = new Map<string, string>()
  const labels: ImportPlan['labels'] = []
  const labelKeys = new Map<string, string>()
  const palette = Object.values(TRELLO_COLORS)
  const tasks: PlannedTask[] = []

  parsed.rows.forEach((row, i) => {
    const ref = `row ${i + 2}`
    const title = stripUnsafeNameChars(cell(row, 'title'))
    if (title.length === 0) {
      skipped.push({ item: ref, reason: 'no title' })
      return
    }
    const columnName = stripUnsafeNameChars(cell(row, 'column')).slice(0, MAX_NAME) || 'To do'
    let columnKey = columnKeys.get(columnName.toLowerCase())
    if (!columnKey) {
      columnKey = `c${columns.length}`
      columnKeys.set(columnName.toLowerCase(), columnKey)
      columns.push({
        key: columnKey,
        name: columnName,
        category: categoryOfList(columnName),
        wipLimit: null,
      })
    }
    const taskLabels: string[] = []
    for (const raw of list(cell(row, 'labels'))) {
      const name = stripUnsafeNameChars(raw).slice(0, MAX_LABEL_NAME)
      if (!name) continue
      let key = labelKeys.get(name.toLowerCase())
      if (!key) {
        key = `l${labels.length}`
        labelKeys.set(name.toLowerCase(), key)
        labels.push({ key, name, color: palette[labels.length % palette.length]! })
      }
      if (!taskLabels.includes(key)) taskLabels.push(key)
    }
    const date = (field: 'startDate' | 'dueDate') => {
      const raw = cell(row, field).trim()
      if (raw === '') return null
      const d = parseCsvDate(raw, opts.dateFormat)
      if (d === null) {
        skipped.push({
          item: `${ref}: ${field}`,
          reason: `"${raw.slice(0, 40)}" is not a ${opts.dateFormat} date`,
        })
      }
      return d
    }
    let startDate = date('startDate')
    const dueDate = date('dueDate')
    if (startDate && dueDate && startDate > dueDate) {
      skipped.push({ item: `${ref}: startDate`, reason: 'after the due date: dropped' })
      startDate = null
    }
    const prioRaw = cell(row, 'priority').trim().toLowerCase()
    let priority: Priority = PRIORITY_WORDS[prioRaw] ?? 'none'
    if (!(prioRaw in PRIORITY_WORDS) && !(PRIORITIES as readonly string[]).includes(prioRaw)) {
      skipped.push({
        item: `${ref}: priority`,
        reason: `"${prioRaw.slice(0, 40)}" is not a priority`,
      })
      priority = 'none'
    }
    const estRaw = cell(row, 'estimate').trim()
    let estimate: number | null = null
    if (estRaw !== '') {
      const n = Number(estRaw.replace(',', '.'))
      if (Number.isFinite(n) && n >= 0 && n <= 10_000) estimate = n
      else
        skipped.push({
          item: `${ref}: estimate`,
          reason: `"${estRaw.slice(0, 40)}" is not 0–10000 points`,
        })
    }
    let description = cell(row, 'description')
    if (description.length > MAX_DESCRIPTION) {
      skipped.push({ item: `${ref}: description`, reason: `cut to ${MAX_DESCRIPTION} characters` })
      description = description.slice(0, MAX_DESCRIPTION)
    }
    const key = cell(row, 'id').trim()
    const parentKey = cell(row, 'parent').trim()
    tasks.push({
      ref,
      ...(key ? { key } : {}),
      parent: parentKey ? { key: parentKey, position: null } : null,
      columnKey,
      title: title.slice(0, MAX_TITLE),
      description,
      priority,
      startDate,
      dueDate,
      estimate,
      labelKeys: taskLabels,
      assigneeEmails: list(cell(row, 'assignees')).map((e) => e.toLowerCase()),
      createdAt: opts.now,
      comments: [],
    })
  })
  // Assignees are people to find; they join the project as members.
  const emails = new Set(tasks.flatMap((t) => t.assigneeEmails))
  return {
    name: opts.name,
    description: '',
    columns,
    labels,
    tasks,
    people: [...emails].map((email) => ({ email, role: 'member' })),
    skipped,
    markdownDescriptions: true,
  }
}
