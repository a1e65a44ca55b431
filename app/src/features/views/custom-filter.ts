import {
  FIELD_FILTER_ANY,
  FIELD_FILTER_REMOVED,
  type FieldDef,
  type FieldRef,
  type FieldType,
  type FilterField,
  fieldRef,
  ME,
  NONE,
  type TaskSummary,
  type ViewFilter,
} from '@taskflow/board'

/*
 * The filter bar's glue for custom fields: what the menu offers for each field type, how a
 * value reads on a chip, and the edits of `filter.custom` (values by field id) and
 * `filter.all` (a custom field there as `field:<id>`). The meaning of each value is the
 * board model's (`customFieldTest` in packages/board): the bar only writes values it reads.
 */

/** A choice in a field's submenu: ticking it adds `value` to the field's values. */
export interface FieldChoice {
  value: string
  label: string
  /** Option colour (select types). */
  color?: string
}

/** Field types whose values are typed in (range or words) rather than ticked. */
export type TypedInput = 'number-range' | 'date-range' | 'contains' | null

export function typedInputOf(type: FieldType): TypedInput {
  switch (type) {
    case 'number':
      return 'number-range'
    case 'date':
      return 'date-range'
    case 'text':
    case 'url':
      return 'contains'
    default:
      return null
  }
}

/**
 * Types where "all of these" differs usefully from "any of these": a multi select can hold
 * several options, a text can contain several words. (A single select or person holds one
 * value: "all" of two would match nothing.)
 */
const MATCH_ALL_TYPES: readonly FieldType[] = ['multi_select', 'text', 'url']

export function canMatchAll(field: FieldDef | undefined): boolean {
  return field !== undefined && MATCH_ALL_TYPES.includes(field.type)
}

/**
 * What the field's submenu lists to tick: options (and "Removed option" when a task holds
 * one, or the filter already names it), people, checked / unchecked; then "Any value" and
 * "Empty" for every type.
 */
export function fieldChoices(
  field: FieldDef,
  people: readonly { userId: string; name: string }[],
  opts: { holdsRemoved: boolean; selected: readonly string[] },
): FieldChoice[] {
  const out: FieldChoice[] = []
  switch (field.type) {
    case 'single_select':
    case 'multi_select':
      for (const o of field.options) out.push({ value: o.id, label: o.name, color: o.color })
      if (opts.holdsRemoved || opts.selected.includes(FIELD_FILTER_REMOVED)) {
        out.push({ value: FIELD_FILTER_REMOVED, label: 'Removed option' })
      }
      break
    case 'person':
      out.push({ value: ME, label: 'Me' })
      for (const p of people) out.push({ value: p.userId, label: p.name })
      break
    case 'checkbox':
      out.push({ value: 'true', label: 'Checked' }, { value: 'false', label: 'Unchecked' })
      break
  }
  out.push({ value: FIELD_FILTER_ANY, label: 'Any value' }, { value: NONE, label: 'Empty' })
  return out
}

/** True when a task holds an option of `field` that no longer exists (F4). */
export function holdsRemovedOption(field: FieldDef, tasks: Iterable<TaskSummary>): boolean {
  if (field.type !== 'single_select' && field.type !== 'multi_select') return false
  const live = new Set(field.options.map((o) => o.id))
  for (const t of tasks) {
    const raw = t.fields[field.id]
    const held = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : []
    if (held.some((id) => !live.has(id))) return true
  }
  return false
}

const RANGE = /^([^.]*)\.\.([^.]*)$/

/** How one value reads on the chip; `userName` names a person by id. */
export function customValueLabel(
  field: FieldDef | undefined,
  value: string,
  userName: (id: string) => string,
): string {
  if (value === FIELD_FILTER_ANY) return 'Any value'
  if (value === NONE) return 'Empty'
  if (!field) return value
  switch (field.type) {
    case 'single_select':
    case 'multi_select':
      if (value === FIELD_FILTER_REMOVED) return 'Removed option'
      return field.options.find((o) => o.id === value)?.name ?? 'Removed option'
    case 'person':
      return value === ME ? 'Me' : userName(value)
    case 'checkbox':
      return value === 'true' ? 'Checked' : 'Unchecked'
    case 'number':
    case 'date': {
      const m = RANGE.exec(value)
      if (!m) return value
      const [, from, to] = m
      if (from && to) return from === to ? from : `${from} – ${to}`
      if (field.type === 'number') return from ? `≥ ${from}` : `≤ ${to}`
      return from ? `from ${from}` : `until ${to}`
    }
    default:
      return `contains “${value}”`
  }
}

/**
 * A range value `from..to` for a number or date field from two typed ends (either may be
 * empty), or null when nothing is typed, an end is not a number / date, or from > to.
 */
export function rangeValue(type: 'number' | 'date', from: string, to: string): string | null {
  const a = from.trim()
  const b = to.trim()
  if (!a && !b) return null
  if (type === 'number') {
    const na = a ? Number(a) : null
    const nb = b ? Number(b) : null
    if (Number.isNaN(na) || Number.isNaN(nb)) return null
    if (na !== null && nb !== null && na > nb) return null
  } else {
    const date = /^\d{4}-\d{2}-\d{2}$/
    if ((a && !date.test(a)) || (b && !date.test(b))) return null
    if (a && b && a > b) return null
  }
  return `${a}..${b}`
}

/** Words typed for a "contains" filter as one value, or null when there are none. */
export function containsValue(text: string): string | null {
  const v = text.trim().replace(/\s+/g, ' ').slice(0, 64)
  return v ? v : null
}

function withValues(filter: ViewFilter, fieldId: string, values: readonly string[]): ViewFilter {
  const custom = { ...filter.custom }
  if (values.length > 0) custom[fieldId] = values
  else delete custom[fieldId]
  const next: ViewFilter = { ...filter, custom }
  if (values.length === 0) {
    // A field no longer filtered forgets its "all" too, as built-in fields do.
    next.all = (filter.all ?? []).filter((f) => f !== fieldRef(fieldId))
  }
  return next
}

/** `filter` with `value` added to or removed from the custom field's values. */
export function toggleCustomValue(filter: ViewFilter, fieldId: string, value: string): ViewFilter {
  const current = filter.custom?.[fieldId] ?? []
  return withValues(
    filter,
    fieldId,
    current.includes(value) ? current.filter((v) => v !== value) : [...current, value],
  )
}

/** `filter` without any value of the custom field (the chip's ×). */
export function removeCustomFilter(filter: ViewFilter, fieldId: string): ViewFilter {
  return withValues(filter, fieldId, [])
}

/** `filter` matching all of a field's values (or any), built-in or custom (`field:<id>`). */
export function setMatchAll(
  filter: ViewFilter,
  key: FilterField | FieldRef,
  all: boolean,
): ViewFilter {
  const rest = (filter.all ?? []).filter((f) => f !== key)
  return { ...filter, all: all ? [...rest, key] : rest }
}

/** The custom fields the filter constrains, in the project's field order, unknown ones last. */
export function activeCustomFilters(
  filter: ViewFilter,
  fields: readonly FieldDef[],
): Array<{ fieldId: string; field: FieldDef | undefined; values: readonly string[] }> {
  const custom = filter.custom ?? {}
  const known = fields
    .filter((f) => custom[f.id]?.length)
    .map((f) => ({ fieldId: f.id, field: f as FieldDef | undefined, values: custom[f.id]! }))
  const ids = new Set(fields.map((f) => f.id))
  const unknown = Object.entries(custom)
    .filter(([id, v]) => v.length > 0 && !ids.has(id))
    .map(([fieldId, values]) => ({ fieldId, field: undefined, values }))
  return [...known, ...unknown]
}
