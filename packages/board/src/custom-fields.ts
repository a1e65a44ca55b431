import * as Y from 'yjs'
import { newId } from './ids.js'
import { compareOrdered, keyForIndex } from './order.js'
import { fail, ok, type Result } from './result.js'
import { numOrNull, type OpContext, runOp, str, touchTask, type YMapAny } from './schema.js'
import { checkColor, checkIndex, checkName, checkNameChars, isIsoDate } from './validate.js'

/**
 * Custom fields per project (docs/document-schema.md, F1–F9).
 *
 * Definitions live in a root map `fields` (additive like `attachments`: no version bump).
 * Each definition is a Y.Map created whole, with its `options` map, in one transaction, so
 * no replica ever creates a competing nested map later (the B17 hazard).
 *
 * Values live in the task's own map under `cf:<fieldId>` (scalars: text, number, date,
 * checkbox, person, URL, single select) and `cfm:<fieldId>:<optionId>` → true (multi
 * select, a set like B9). Keys in the task map, not a nested `fields` map, for the same
 * reason as move records: tasks of existing boards would need the map created lazily,
 * and two replicas creating it at once keep only one (with the values written into it).
 */
export const FIELDS_ROOT = 'fields'
export const FIELD_TYPES = [
  'text',
  'number',
  'date',
  'single_select',
  'multi_select',
  'checkbox',
  'person',
  'url',
] as const
export type FieldType = (typeof FIELD_TYPES)[number]
export const MAX_FIELDS = 50
export const MAX_FIELD_OPTIONS = 100
export const MAX_FIELD_NAME = 50
export const MAX_FIELD_TEXT = 1_000
export const MAX_FIELD_URL = 2_000
/** What a value of an option that no longer exists reads as (F4). */
export const REMOVED_OPTION = 'removed option'

const VALUE_PREFIX = 'cf:'
const SET_PREFIX = 'cfm:'

export interface FieldOption {
  id: string
  name: string
  color: string
  order: string
}

export interface FieldDef {
  id: string
  name: string
  type: FieldType
  order: string
  /** Cards show this field's value (F2). */
  showOnCard: boolean
  /** Set while the field is deleted (F5): hidden everywhere, values kept. */
  deletedAt: number | null
  /** Select options in order (empty for other types). */
  options: FieldOption[]
}

/**
 * A stored value as a task holds it, before the field's type is applied: a scalar, or
 * the option ids of a multi-select set (sorted). What it shows as is `renderFieldValue`.
 */
export type FieldRaw = string | number | boolean | readonly string[]

/** A value as a card, a panel cell or a report shows it. */
export interface RenderedField {
  fieldId: string
  name: string
  type: FieldType
  /** Plain text: option names joined by ", ", a date, a number, a URL, a user id, Yes. */
  text: string
  /** Select types: each option held, with `removed` for one that no longer exists (F4). */
  options?: Array<{ id: string; name: string; color: string; removed: boolean }>
  /** URL: the link target (http, https or mailto only). */
  href?: string
  /** Person: the user id (the app shows the member's name). */
  userId?: string
  /** Checkbox: its state. */
  checked?: boolean
}

function root(doc: Y.Doc): Y.Map<YMapAny> {
  return doc.getMap<YMapAny>(FIELDS_ROOT)
}

function isFieldType(v: unknown): v is FieldType {
  return typeof v === 'string' && (FIELD_TYPES as readonly string[]).includes(v)
}

function readOptions(m: YMapAny): FieldOption[] {
  const opts = m.get('options')
  if (!(opts instanceof Y.Map)) return []
  const out: FieldOption[] = []
  ;(opts as Y.Map<YMapAny>).forEach((o, id) => {
    if (!(o instanceof Y.Map)) return
    out.push({
      id,
      name: str(o, 'name', 'option'),
      color: str(o, 'color', '#64748b'),
      order: str(o, 'order', 'a0'),
    })
  })
  return out.sort(compareOrdered)
}

function readField(id: string, m: YMapAny): FieldDef | null {
  const type = m.get('type')
  // A type this version does not know (a newer app) is skipped, never guessed.
  if (!isFieldType(type)) return null
  return {
    id,
    name: str(m, 'name', 'Field'),
    type,
    order: str(m, 'order', 'a0'),
    showOnCard: m.get('showOnCard') === true,
    deletedAt: numOrNull(m, 'deletedAt'),
    options: type === 'single_select' || type === 'multi_select' ? readOptions(m) : [],
  }
}

/**
 * The project's fields in order; deleted ones only with `includeDeleted`.
 * @example listFields(doc).filter((f) => f.showOnCard)
 */
export function listFields(doc: Y.Doc, opts?: { includeDeleted?: boolean }): FieldDef[] {
  const out: FieldDef[] = []
  root(doc).forEach((m, id) => {
    if (!(m instanceof Y.Map)) return
    const f = readField(id, m as YMapAny)
    if (f && (opts?.includeDeleted || f.deletedAt === null)) out.push(f)
  })
  return out.sort(compareOrdered)
}

/** One field (deleted ones too), or undefined. */
export function getField(doc: Y.Doc, fieldId: string): FieldDef | undefined {
  const m = root(doc).get(fieldId)
  return m instanceof Y.Map ? (readField(fieldId, m as YMapAny) ?? undefined) : undefined
}

export interface FieldOptionInput {
  name: string
  color: string
}

export interface CreateFieldInput {
  name: string
  type: FieldType
  showOnCard?: boolean
  options?: readonly FieldOptionInput[]
  /** Place among the live fields (default last). */
  index?: number
}

function checkOption(o: FieldOptionInput | undefined): string | null {
  if (!o || typeof o !== 'object') return 'an option must be an object { name, color }'
  return checkName(o.name, 'option name', MAX_FIELD_NAME) ?? checkColor(o.color)
}

/**
 * Creates a field. Options are for select types (refused on others).
 * @example createField(doc, { name: 'Stage', type: 'single_select', options: [{ name: 'Spec', color: '#3b82f6' }] })
 */
export function createField(
  doc: Y.Doc,
  input: CreateFieldInput,
  ctx?: OpContext,
): Result<{ id: string; optionIds: string[] }> {
  if (!input || typeof input !== 'object') return fail('invalid', 'field must be an object')
  const bad =
    checkName(input.name, 'name', MAX_FIELD_NAME) ??
    (isFieldType(input.type) ? null : `type must be one of ${FIELD_TYPES.join(', ')}`) ??
    (input.showOnCard === undefined || typeof input.showOnCard === 'boolean'
      ? null
      : 'showOnCard must be true or false') ??
    checkIndex(input.index)
  if (bad) return fail('invalid', bad)
  const options = input.options ?? []
  if (!Array.isArray(options)) return fail('invalid', 'options must be a list')
  if (options.length > 0 && input.type !== 'single_select' && input.type !== 'multi_select') {
    return fail('invalid', 'only select fields have options')
  }
  if (options.length > MAX_FIELD_OPTIONS) {
    return fail('invalid', `at most ${MAX_FIELD_OPTIONS} options per field`)
  }
  for (const o of options) {
    const b = checkOption(o)
    if (b) return fail('invalid', b)
  }
  const live = listFields(doc)
  if (live.length >= MAX_FIELDS) return fail('invalid', `at most ${MAX_FIELDS} fields per project`)
  return runOp(doc, ctx, (now) => {
    const id = newId()
    const m = new Y.Map<unknown>()
    m.set('name', input.name.trim())
    m.set('type', input.type)
    m.set('showOnCard', input.showOnCard ?? false)
    m.set(
      'order',
      keyForIndex(live, input.index ?? live.length, (fid, order) =>
        root(doc).get(fid)?.set('order', order),
      ),
    )
    m.set('createdAt', now)
    m.set('deletedAt', null)
    // Created with the field even for types without options: a later change to a select
    // type must find it, never create a second one concurrently (see the module comment).
    const opts = new Y.Map<YMapAny>()
    const optionIds: string[] = []
    let prev: string | null = null
    for (const o of options) {
      const oid = newId()
      const key = keyForIndex(prev ? [{ id: '', order: prev }] : [], 1)
      prev = key
      const om = new Y.Map<unknown>()
      om.set('name', o.name.trim())
      om.set('color', o.color.toLowerCase())
      om.set('order', key)
      opts.set(oid, om)
      optionIds.push(oid)
    }
    m.set('options', opts)
    root(doc).set(id, m)
    return ok({ id, optionIds })
  })
}

function fieldMap(doc: Y.Doc, fieldId: string): YMapAny | null {
  const m = typeof fieldId === 'string' ? root(doc).get(fieldId) : undefined
  return m instanceof Y.Map ? (m as YMapAny) : null
}

/**
 * Renames a field, changes its type or its "show on cards" flag; each merges on its own
 * (F2). Changing the type keeps every stored value (F8).
 */
export function updateField(
  doc: Y.Doc,
  fieldId: string,
  patch: { name?: string; type?: FieldType; showOnCard?: boolean },
  ctx?: OpContext,
): Result<null> {
  const m = fieldMap(doc, fieldId)
  if (!m) return fail('not_found', `field ${String(fieldId)} does not exist`)
  if (!patch || typeof patch !== 'object') return fail('invalid', 'patch must be an object')
  const bad =
    (patch.name !== undefined ? checkName(patch.name, 'name', MAX_FIELD_NAME) : null) ??
    (patch.type !== undefined && !isFieldType(patch.type)
      ? `type must be one of ${FIELD_TYPES.join(', ')}`
      : null) ??
    (patch.showOnCard !== undefined && typeof patch.showOnCard !== 'boolean'
      ? 'showOnCard must be true or false'
      : null)
  if (bad) return fail('invalid', bad)
  return runOp(doc, ctx, () => {
    if (patch.name !== undefined) m.set('name', patch.name.trim())
    if (patch.type !== undefined && m.get('type') !== patch.type) m.set('type', patch.type)
    if (patch.showOnCard !== undefined) m.set('showOnCard', patch.showOnCard)
    return ok(null)
  })
}

/** Moves a field to `index` among the live fields (F3: as B2). */
export function moveField(
  doc: Y.Doc,
  fieldId: string,
  index: number,
  ctx?: OpContext,
): Result<null> {
  const m = fieldMap(doc, fieldId)
  if (!m) return fail('not_found', `field ${String(fieldId)} does not exist`)
  const bad = checkIndex(index)
  if (bad) return fail('invalid', bad)
  const others = listFields(doc).filter((f) => f.id !== fieldId)
  return runOp(doc, ctx, () => {
    m.set(
      'order',
      keyForIndex(others, index, (fid, order) => root(doc).get(fid)?.set('order', order)),
    )
    return ok(null)
  })
}

/**
 * Deletes a field (F5): hidden from cards, panels, filters and reports; every value stays
 * in the tasks and `restoreField` brings the field back with them.
 */
export function deleteField(doc: Y.Doc, fieldId: string, ctx?: OpContext): Result<null> {
  const m = fieldMap(doc, fieldId)
  if (!m) return fail('not_found', `field ${String(fieldId)} does not exist`)
  return runOp(doc, ctx, (now) => {
    m.set('deletedAt', now)
    return ok(null)
  })
}

export function restoreField(doc: Y.Doc, fieldId: string, ctx?: OpContext): Result<null> {
  const m = fieldMap(doc, fieldId)
  if (!m) return fail('not_found', `field ${String(fieldId)} does not exist`)
  return runOp(doc, ctx, () => {
    m.set('deletedAt', null)
    return ok(null)
  })
}

function optionsMap(m: YMapAny): Y.Map<YMapAny> | null {
  const o = m.get('options')
  return o instanceof Y.Map ? (o as Y.Map<YMapAny>) : null
}

function selectField(doc: Y.Doc, fieldId: string): Result<{ m: YMapAny; opts: Y.Map<YMapAny> }> {
  const m = fieldMap(doc, fieldId)
  if (!m) return fail('not_found', `field ${String(fieldId)} does not exist`)
  const type = m.get('type')
  const opts = optionsMap(m)
  if ((type !== 'single_select' && type !== 'multi_select') || !opts) {
    return fail('invalid', 'only select fields have options')
  }
  return ok({ m, opts })
}

/** Adds an option to a select field (F4: random ids, concurrent adds all exist). */
export function addFieldOption(
  doc: Y.Doc,
  fieldId: string,
  input: FieldOptionInput & { index?: number },
  ctx?: OpContext,
): Result<{ id: string }> {
  const r = selectField(doc, fieldId)
  if (!r.ok) return r
  const bad = checkOption(input) ?? checkIndex(input.index)
  if (bad) return fail('invalid', bad)
  const field = getField(doc, fieldId)!
  if (field.options.length >= MAX_FIELD_OPTIONS) {
    return fail('invalid', `at most ${MAX_FIELD_OPTIONS} options per field`)
  }
  return runOp(doc, ctx, () => {
    const id = newId()
    const om = new Y.Map<unknown>()
    om.set('name', input.name.trim())
    om.set('color', input.color.toLowerCase())
    om.set(
      'order',
      keyForIndex(field.options, input.index ?? field.options.length, (oid, order) =>
        r.value.opts.get(oid)?.set('order', order),
      ),
    )
    r.value.opts.set(id, om)
    return ok({ id })
  })
}

/** Renames, recolours or moves an option; name and colour merge independently (F4). */
export function updateFieldOption(
  doc: Y.Doc,
  fieldId: string,
  optionId: string,
  patch: { name?: string; color?: string; index?: number },
  ctx?: OpContext,
): Result<null> {
  const r = selectField(doc, fieldId)
  if (!r.ok) return r
  const om = r.value.opts.get(optionId)
  if (!(om instanceof Y.Map)) return fail('not_found', `option ${String(optionId)} does not exist`)
  if (!patch || typeof patch !== 'object') return fail('invalid', 'patch must be an object')
  const bad =
    (patch.name !== undefined ? checkName(patch.name, 'option name', MAX_FIELD_NAME) : null) ??
    (patch.color !== undefined ? checkColor(patch.color) : null) ??
    checkIndex(patch.index)
  if (bad) return fail('invalid', bad)
  const others = getField(doc, fieldId)!.options.filter((o) => o.id !== optionId)
  return runOp(doc, ctx, () => {
    if (patch.name !== undefined) om.set('name', patch.name.trim())
    if (patch.color !== undefined) om.set('color', patch.color.toLowerCase())
    if (patch.index !== undefined) {
      om.set(
        'order',
        keyForIndex(others, patch.index, (oid, order) =>
          r.value.opts.get(oid)?.set('order', order),
        ),
      )
    }
    return ok(null)
  })
}

/**
 * Removes an option (F4). Tasks keep holding its id: they show "removed option" until
 * someone picks another value; the value is never dropped silently.
 */
export function removeFieldOption(
  doc: Y.Doc,
  fieldId: string,
  optionId: string,
  ctx?: OpContext,
): Result<null> {
  const r = selectField(doc, fieldId)
  if (!r.ok) return r
  if (!(r.value.opts.get(optionId) instanceof Y.Map)) {
    return fail('not_found', `option ${String(optionId)} does not exist`)
  }
  return runOp(doc, ctx, () => {
    r.value.opts.delete(optionId)
    return ok(null)
  })
}

/** A value as the task API and the panel write it: a scalar, option ids, or null to clear. */
export type FieldValueInput = string | number | boolean | readonly string[] | null

function safeUrl(value: string): string | null {
  try {
    const u = new URL(value)
    return u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'mailto:'
      ? u.href
      : null
  } catch {
    return null
  }
}

/**
 * Why `value` cannot be stored in `field` (F7), or null when it can. Select values must
 * name live options of the field; a person is any non-empty user id (the server checks
 * membership, the document cannot).
 */
export function checkFieldValue(field: FieldDef, value: FieldValueInput): string | null {
  if (value === null) return null
  const what = `field "${field.name}"`
  switch (field.type) {
    case 'text':
      if (typeof value !== 'string') return `${what} takes text`
      if (value.length > MAX_FIELD_TEXT) return `${what} takes at most ${MAX_FIELD_TEXT} characters`
      return checkNameChars(value, what)
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= 1e15
        ? null
        : `${what} takes a number`
    case 'date':
      return isIsoDate(value) ? null : `${what} takes a date YYYY-MM-DD`
    case 'checkbox':
      return typeof value === 'boolean' ? null : `${what} takes true or false`
    case 'person':
      return typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value)
        ? null
        : `${what} takes a user id`
    case 'url':
      if (typeof value !== 'string' || value.length > MAX_FIELD_URL) return `${what} takes a URL`
      return safeUrl(value) ? null : `${what} takes an http, https or mailto URL`
    case 'single_select':
      if (typeof value !== 'string') return `${what} takes one option id`
      return field.options.some((o) => o.id === value) ? null : `${what} has no option ${value}`
    case 'multi_select': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
        return `${what} takes a list of option ids`
      }
      const missing = value.find((v) => !field.options.some((o) => o.id === v))
      return missing === undefined ? null : `${what} has no option ${missing}`
    }
  }
}

function normalise(field: FieldDef, value: FieldValueInput): FieldValueInput {
  if (typeof value === 'string') {
    if (field.type === 'text') return value.trim() === '' ? null : value.trim()
    if (field.type === 'url') return safeUrl(value.trim())
  }
  if (Array.isArray(value) && value.length === 0) return null
  return value
}

/**
 * Sets (or, with null, clears) one task's value of one field, checked against the field's
 * type (F7). A multi-select write changes only the options added or removed, so
 * concurrent picks of different options all survive (F6).
 * @example setTaskFieldValue(doc, taskId, stageId, optionId, { userId })
 */
export function setTaskFieldValue(
  doc: Y.Doc,
  taskId: string,
  fieldId: string,
  value: FieldValueInput,
  ctx?: OpContext,
): Result<null> {
  const task = typeof taskId === 'string' ? doc.getMap<YMapAny>('tasks').get(taskId) : undefined
  if (!(task instanceof Y.Map)) return fail('not_found', `task ${String(taskId)} does not exist`)
  const field = typeof fieldId === 'string' ? getField(doc, fieldId) : undefined
  if (!field || field.deletedAt !== null) {
    return fail('not_found', `field ${String(fieldId)} does not exist`)
  }
  if (value === undefined) return fail('invalid', `field "${field.name}" needs a value or null`)
  const bad = checkFieldValue(field, value)
  if (bad) return fail('invalid', bad)
  const v = normalise(field, value)
  const t = task as YMapAny
  const key = VALUE_PREFIX + fieldId
  const setPrefix = `${SET_PREFIX}${fieldId}:`
  const held = [...t.keys()].filter((k) => k.startsWith(setPrefix))
  return runOp(doc, ctx, (now) => {
    if (field.type === 'multi_select') {
      const want = new Set((v as readonly string[] | null) ?? [])
      for (const k of held) if (!want.has(k.slice(setPrefix.length))) t.delete(k)
      for (const id of want) if (t.get(setPrefix + id) !== true) t.set(setPrefix + id, true)
      // A scalar left from an earlier single-select type is folded into the set (F8).
      if (t.has(key)) t.delete(key)
    } else {
      if (v === null) {
        if (t.has(key)) t.delete(key)
      } else if (t.get(key) !== v) t.set(key, v)
      for (const k of held) t.delete(k)
    }
    touchTask(t, now, ctx)
    return ok(null)
  })
}

const EMPTY: Readonly<Record<string, FieldRaw>> = Object.freeze({})

/**
 * Every stored field value of a task (`cf:` / `cfm:` keys), deleted fields' included: a
 * set (non-empty) is read before a scalar of the same field (F8). Reads the map's entries
 * directly, allocating nothing for a task without values (the board view calls it per card).
 */
export function readTaskFieldValues(task: YMapAny): Readonly<Record<string, FieldRaw>> {
  let out = null as Record<string, FieldRaw> | null
  let sets = null as Map<string, string[]> | null
  // forEach, not for…of: iterating entries allocates a pair per key, for every task of a
  // board view's full compute (the same reason as readMoves).
  task._map.forEach((item, key) => {
    // 'c' 'f': cheap test before any slicing; most keys of a task are not values.
    if (item.deleted || key.charCodeAt(0) !== 99 || key.charCodeAt(1) !== 102) return
    if (key.startsWith(VALUE_PREFIX)) {
      const v = item.content.getContent()[0]
      if (
        typeof v === 'string' ||
        typeof v === 'boolean' ||
        (typeof v === 'number' && Number.isFinite(v))
      ) {
        out ??= {}
        const id = key.slice(VALUE_PREFIX.length)
        if (!(id in out)) out[id] = v
      }
    } else if (key.startsWith(SET_PREFIX)) {
      const rest = key.slice(SET_PREFIX.length)
      const i = rest.indexOf(':')
      if (i <= 0) return
      const id = rest.slice(0, i)
      sets ??= new Map()
      const list = sets.get(id)
      if (list) list.push(rest.slice(i + 1))
      else sets.set(id, [rest.slice(i + 1)])
    }
  })
  if (sets) {
    out ??= {}
    for (const [id, list] of sets) out[id] = list.sort()
  }
  return out ?? EMPTY
}

/** One task's stored values (see readTaskFieldValues), or undefined for an unknown task. */
export function getTaskFieldValues(
  doc: Y.Doc,
  taskId: string,
): Readonly<Record<string, FieldRaw>> | undefined {
  const task = doc.getMap<YMapAny>('tasks').get(taskId)
  return task instanceof Y.Map ? readTaskFieldValues(task as YMapAny) : undefined
}

/** True when two value records hold the same values (lets views keep object identity). */
export function sameFieldValues(
  a: Readonly<Record<string, FieldRaw>>,
  b: Readonly<Record<string, FieldRaw>>,
): boolean {
  if (a === b) return true
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  for (const k of ka) {
    const x = a[k]
    const y = b[k]
    if (x === y) continue
    if (!Array.isArray(x) || !Array.isArray(y)) return false
    if (x.length !== y.length || x.some((v, i) => v !== y[i])) return false
  }
  return true
}

/**
 * What a stored value shows as under the field's current type (F8), or null when it shows
 * nothing: no value, a deleted field, or a value that does not fit the type (kept in the
 * task; it shows again if the type changes back). An option id the field no longer has
 * shows as "removed option" (F4).
 */
export function renderFieldValue(field: FieldDef, raw: FieldRaw | undefined): RenderedField | null {
  if (raw === undefined || field.deletedAt !== null) return null
  const base = { fieldId: field.id, name: field.name, type: field.type }
  switch (field.type) {
    case 'single_select':
    case 'multi_select': {
      const ids = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : null
      if (!ids || ids.length === 0) return null
      const options = ids.map((id) => {
        const o = field.options.find((x) => x.id === id)
        return o
          ? { id, name: o.name, color: o.color, removed: false }
          : { id, name: REMOVED_OPTION, color: '#94a3b8', removed: true }
      })
      // Live options in the field's order, removed ones last.
      const rank = (id: string) => {
        const i = field.options.findIndex((o) => o.id === id)
        return i < 0 ? Number.MAX_SAFE_INTEGER : i
      }
      options.sort((a, b) => rank(a.id) - rank(b.id) || (a.id < b.id ? -1 : 1))
      return { ...base, text: options.map((o) => o.name).join(', '), options }
    }
    case 'text':
      return typeof raw === 'string' ? { ...base, text: raw } : null
    case 'number':
      return typeof raw === 'number' ? { ...base, text: String(raw) } : null
    case 'date':
      return isIsoDate(raw) ? { ...base, text: raw } : null
    case 'checkbox':
      return typeof raw === 'boolean' ? { ...base, text: raw ? 'Yes' : 'No', checked: raw } : null
    case 'person':
      return typeof raw === 'string' ? { ...base, text: raw, userId: raw } : null
    case 'url': {
      if (typeof raw !== 'string') return null
      const href = safeUrl(raw)
      return href ? { ...base, text: raw, href } : null
    }
  }
}

/**
 * The values a card shows: fields flagged "show on cards", in field order, that have a
 * value. `fields` is `listFields(doc)`; `values` is `TaskSummary.fields`.
 * @example cardFields(fields, summary.fields).map((f) => f.text)
 */
export function cardFields(
  fields: readonly FieldDef[],
  values: Readonly<Record<string, FieldRaw>>,
): RenderedField[] {
  const out: RenderedField[] = []
  if (values === EMPTY) return out
  for (const f of fields) {
    if (!f.showOnCard) continue
    const r = renderFieldValue(f, values[f.id])
    if (r) out.push(r)
  }
  return out
}
