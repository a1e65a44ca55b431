import { COLUMN_CATEGORIES, type ColumnCategory, PRIORITIES, type Priority } from './schema.js'

/*
 * Length limits, in UTF-16 code units (`string.length`, as an input's `maxLength` counts).
 * Exported so the app shows the same numbers the operations enforce.
 */
/** Board and column names. */
export const MAX_NAME = 200
export const MAX_TITLE = 500
export const MAX_DESCRIPTION = 100_000
export const MAX_CHECKLIST_TEXT = 1_000
export const MAX_LABEL_NAME = 50
export const MAX_BOARD_DESCRIPTION = 5_000

/**
 * Characters a single-line name (board, column, label, task title, checklist item) may not
 * hold: C0/C1 control characters and DEL (NUL, tab, line breaks, escape…), the Unicode line
 * and paragraph separators, and the bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069) that make text display in another order than it is stored
 * ("Trojan Source" spoofing in lists and e-mail subjects). The marks U+200E/U+200F are
 * allowed: right-to-left writers need them, and they cannot reorder letters. `@taskflow/api`
 * applies the same rule to project and user names.
 * @example UNSAFE_NAME_CHARS.test('a\u202Eb') // true
 */
export const UNSAFE_NAME_CHARS = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/gu
const LINE_BREAKING = /[\p{Cc}\u2028\u2029]+/gu

/**
 * `value` made safe for one line: bidi controls dropped, each run of control characters and
 * line separators turned into one space. For names written before the rule, or by a client
 * that skips the operations, on their way into e-mail subjects and notifications.
 * @example stripUnsafeNameChars('Launch\r\nBcc: x\u202E') // 'Launch Bcc: x'
 */
export function stripUnsafeNameChars(value: string): string {
  return value.replace(BIDI_CONTROLS, '').replace(LINE_BREAKING, ' ').trim()
}

/** Why `value` is refused as (part of) a single-line name, or null. */
export function checkNameChars(value: string, what: string): string | null {
  const bad = UNSAFE_NAME_CHARS.exec(value)?.[0]
  if (bad === undefined) return null
  const code = `U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
  return `${what} must not contain control characters (such as line breaks or NUL) or bidirectional override characters; found ${code}`
}

// Each check returns an error message or null, so ops can refuse before writing anything.
export function checkName(value: unknown, what: string, max = MAX_NAME): string | null {
  if (typeof value !== 'string') return `${what} must be a string`
  if (value.trim().length === 0) return `${what} must not be empty`
  if (value.length > max) return `${what} must be at most ${max} characters`
  return checkNameChars(value, what)
}

export function checkText(value: unknown, what: string, max: number): string | null {
  if (typeof value !== 'string') return `${what} must be a string`
  if (value.length > max) return `${what} must be at most ${max} characters`
  return null
}

export function checkCategory(value: unknown): value is ColumnCategory {
  return typeof value === 'string' && (COLUMN_CATEGORIES as readonly string[]).includes(value)
}

export function checkPriority(value: unknown): value is Priority {
  return typeof value === 'string' && (PRIORITIES as readonly string[]).includes(value)
}

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const d = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value
}

export function checkDate(value: unknown, what: string): string | null {
  if (value === null) return null
  return isIsoDate(value) ? null : `${what} must be a date YYYY-MM-DD or null`
}

export function checkEstimate(value: unknown): string | null {
  if (value === null) return null
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 10_000) {
    return 'estimate must be a number of points between 0 and 10000, or null'
  }
  return null
}

export function checkWipLimit(value: unknown): string | null {
  if (value === null || value === undefined) return null
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 10_000) {
    return 'wipLimit must be a whole number from 1 to 10000, or null'
  }
  return null
}

export function checkIdList(value: unknown, what: string): string | null {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.length === 0)) {
    return `${what} must be a list of ids`
  }
  return null
}

export function checkIndex(value: unknown): string | null {
  if (value === undefined) return null
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    return 'index must be a whole number ≥ 0'
  }
  return null
}

export function checkColor(value: unknown): string | null {
  if (typeof value !== 'string' || !/^#[0-9a-fA-F]{6}$/.test(value)) {
    return 'color must be a hex colour like #3b82f6'
  }
  return null
}
