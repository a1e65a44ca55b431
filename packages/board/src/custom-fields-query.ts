import { type FieldDef, renderFieldValue } from './custom-fields.js'
import type { TaskSummary } from './views.js'

/*
 * Custom fields in the one filter / sort / group model (query.ts): a view names a field as
 * `field:<fieldId>` (sort key, group key, list column) and filters it under
 * `filter.custom[fieldId]`. Definitions come in through `QueryEnv.fields`; a field that is
 * deleted or unknown there matches nothing and sorts / groups as empty.
 */

/** How a view names a custom field as a sort key, group key or list column. */
export type FieldRef = `field:${string}`
export const FIELD_REF_PREFIX = 'field:'
const FIELD_ID = /^[A-Za-z0-9_-]{1,64}$/

export function isFieldRef(v: unknown): v is FieldRef {
  return typeof v === 'string' && v.startsWith(FIELD_REF_PREFIX) && FIELD_ID.test(v.slice(6))
}

export function fieldRef(fieldId: string): FieldRef {
  return `${FIELD_REF_PREFIX}${fieldId}`
}

export function fieldIdOf(ref: FieldRef): string {
  return ref.slice(FIELD_REF_PREFIX.length)
}

/** Fields a view can group by: the ones with few distinct values. */
export const GROUPABLE_FIELD_TYPES = [
  'single_select',
  'multi_select',
  'person',
  'checkbox',
] as const

/** Filter value: the task has a value for the field. `none` (query.ts NONE) is "no value". */
export const ANY = 'any'
/** Filter value of a select field: the task holds an option that was removed (F4). */
export const REMOVED = 'removed'

type Test = (t: TaskSummary) => boolean

/** Option ids / user ids a task holds for a select or person field (empty when none). */
function heldIds(field: FieldDef, t: TaskSummary): readonly string[] {
  const r = renderFieldValue(field, t.fields[field.id])
  if (!r) return []
  if (r.options) return r.options.map((o) => o.id)
  if (r.userId) return [r.userId]
  return []
}

function range(value: string): { from: string | null; to: string | null } | null {
  const m = /^([^.]*)\.\.([^.]*)$/.exec(value)
  if (!m || (!m[1] && !m[2])) return null
  return { from: m[1] || null, to: m[2] || null }
}

/**
 * One filter value of a custom field: option ids or `removed` (select: any removed option),
 * user ids or `me` (person), `true`/`false` (checkbox), `from..to` ranges (number, date;
 * either end may be empty), words the value contains, case-insensitive (text, URL), `any`
 * or `none` for every type. Matching looks at what the value shows as (F8), so a value of a
 * removed option matches its id, `removed` and `any`, never another option.
 */
export function customFieldTest(
  field: FieldDef | undefined,
  value: string,
  me: string | null,
): Test {
  if (!field || field.deletedAt !== null) return () => false
  const shown = (t: TaskSummary) => renderFieldValue(field, t.fields[field.id])
  if (value === ANY) return (t) => shown(t) !== null
  if (value === 'none') return (t) => shown(t) === null
  switch (field.type) {
    case 'single_select':
    case 'multi_select':
      if (value === REMOVED) return (t) => shown(t)?.options?.some((o) => o.removed) ?? false
      return (t) => heldIds(field, t).includes(value)
    case 'person': {
      const id = value === 'me' ? me : value
      return (t) => id !== null && heldIds(field, t).includes(id)
    }
    case 'checkbox': {
      const want = value === 'true'
      return (t) => (shown(t)?.checked ?? false) === want
    }
    case 'number': {
      const r = range(value)
      const from = r?.from !== null && r?.from !== undefined ? Number(r.from) : null
      const to = r?.to !== null && r?.to !== undefined ? Number(r.to) : null
      if (!r || Number.isNaN(from) || Number.isNaN(to)) return () => false
      return (t) => {
        const v = t.fields[field.id]
        return typeof v === 'number' && (from === null || v >= from) && (to === null || v <= to)
      }
    }
    case 'date': {
      const r = range(value)
      if (!r) return (t) => shown(t)?.text === value
      return (t) => {
        const d = shown(t)?.text
        return d !== undefined && (r.from === null || d >= r.from) && (r.to === null || d <= r.to)
      }
    }
    case 'text':
    case 'url': {
      const needle = value.toLocaleLowerCase()
      return (t) => shown(t)?.text.toLocaleLowerCase().includes(needle) ?? false
    }
    default:
      return (t) => shown(t)?.text === value
  }
}

/**
 * The sort key of a task for a custom field: option position (select: the first held), a
 * number, a date, a name (person, through `userName`), text; null (last) when empty.
 */
export function customSortValue(
  field: FieldDef | undefined,
  t: TaskSummary,
  userName: (id: string) => string,
): string | number | null {
  if (!field) return null
  const r = renderFieldValue(field, t.fields[field.id])
  if (!r) return null
  switch (field.type) {
    case 'single_select':
    case 'multi_select': {
      const ranks = r.options!.map((o) => {
        const i = field.options.findIndex((x) => x.id === o.id)
        return i < 0 ? field.options.length : i
      })
      return Math.min(...ranks)
    }
    case 'number':
      return t.fields[field.id] as number
    case 'checkbox':
      return r.checked ? 0 : 1
    case 'person':
      return userName(r.userId!).toLocaleLowerCase()
    default:
      return r.text.toLocaleLowerCase()
  }
}

/** Group keys and labels of a task for a custom field: several for a multi select. */
export function customGroups(
  field: FieldDef | undefined,
  t: TaskSummary,
  userName: (id: string) => string,
): Array<{ key: string; label: string; rank: number }> {
  const none = [{ key: 'none', label: field ? `No ${field.name}` : 'No value', rank: Infinity }]
  if (!field) return none
  const r = renderFieldValue(field, t.fields[field.id])
  if (!r) return none
  if (r.options) {
    return r.options.map((o) => {
      const i = field.options.findIndex((x) => x.id === o.id)
      return { key: o.id, label: o.name, rank: i < 0 ? field.options.length : i }
    })
  }
  if (r.userId) return [{ key: r.userId, label: userName(r.userId), rank: 0 }]
  if (r.checked !== undefined) {
    return [{ key: String(r.checked), label: r.checked ? 'Yes' : 'No', rank: r.checked ? 0 : 1 }]
  }
  return [{ key: r.text, label: r.text, rank: 0 }]
}

const MAX_CUSTOM_FILTERS = 20
const MAX_VALUES = 50

/** `filter.custom` from untrusted input: bad ids and values dropped, never thrown. */
export function parseCustomFilter(input: unknown): Record<string, string[]> | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined
  const out: Record<string, string[]> = {}
  let n = 0
  for (const [id, v] of Object.entries(input as Record<string, unknown>)) {
    if (n >= MAX_CUSTOM_FILTERS) break
    if (!FIELD_ID.test(id) || !Array.isArray(v)) continue
    const values = [
      ...new Set(
        v.filter((x): x is string => typeof x === 'string' && x.length > 0 && x.length <= 64),
      ),
    ].slice(0, MAX_VALUES)
    if (values.length) {
      out[id] = values
      n++
    }
  }
  return n > 0 ? out : undefined
}
