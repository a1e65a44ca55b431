import {
  CALENDAR_MODES,
  DEFAULT_VIEW_STATE,
  FILTER_FIELDS,
  type FieldRef,
  type FilterField,
  GROUP_KEYS,
  isFieldRef,
  LIST_COLUMNS,
  MAX_FILTER_TEXT,
  parseViewState,
  SORT_KEYS,
  TIMELINE_ZOOMS,
  VIEW_KINDS,
  type ViewFilter,
  type ViewState,
} from '@taskflow/board'
import { z } from 'zod'

/*
 * A project view's state in the URL, so a link reproduces it: `?view=list&assignee=["me"]
 * &due=["overdue"]&sort=dueDate&group=assignee&cols=[...]&subtasks=hidden&sv=<saved view id>`;
 * the calendar and timeline add `cal=week&date=2026-12-01&wso=0&zoom=month`. Each key is
 * validated on its own and a bad one is dropped (`.catch`), never an error page: links
 * outlive the code that wrote them.
 */
const values = z.array(z.string().min(1).max(64)).max(50).optional().catch(undefined)
/** A custom field named as a sort key, group key or list column (`field:<id>`). */
const fieldRefSchema = z.string().refine(isFieldRef) as unknown as z.ZodType<FieldRef>

export const viewSearchSchema = z.object({
  view: z.enum(VIEW_KINDS).optional().catch(undefined),
  /** The saved view this state came from (shared: in the document; personal: `p:` prefix). */
  sv: z.string().min(1).max(64).optional().catch(undefined),
  assignee: values,
  label: values,
  priority: values,
  status: values,
  due: values,
  createdBy: values,
  updatedBy: values,
  /** Fields whose values combine with "all" rather than "any" (custom ones as `field:<id>`). */
  all: z
    .array(z.union([z.enum(FILTER_FIELDS), fieldRefSchema]))
    .max(FILTER_FIELDS.length + 20)
    .optional()
    .catch(undefined),
  q: z.string().max(MAX_FILTER_TEXT).optional().catch(undefined),
  sort: z
    .union([z.enum(SORT_KEYS), fieldRefSchema])
    .optional()
    .catch(undefined),
  desc: z.boolean().optional().catch(undefined),
  group: z
    .union([z.enum(GROUP_KEYS), fieldRefSchema])
    .optional()
    .catch(undefined),
  cols: z
    .array(z.union([z.enum(LIST_COLUMNS), fieldRefSchema]))
    .max(LIST_COLUMNS.length + 40)
    .optional()
    .catch(undefined),
  /** Custom-field filters: `{ [fieldId]: values }` (docs/document-schema.md, saved views). */
  cf: z
    .record(z.string().max(64), z.array(z.string().min(1).max(64)).max(50))
    .optional()
    .catch(undefined),
  /** Calendar: month or week. */
  cal: z.enum(CALENDAR_MODES).optional().catch(undefined),
  /** Calendar / timeline: the day shown around, `YYYY-MM-DD` (default today). */
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional()
    .catch(undefined),
  /** First day of the week, 0 = Sunday … 6 (default the locale's). */
  wso: z.number().int().min(0).max(6).optional().catch(undefined),
  zoom: z.enum(TIMELINE_ZOOMS).optional().catch(undefined),
  /** `hidden`: only top-level tasks show (subtasks are shown by default). */
  subtasks: z.enum(['hidden']).optional().catch(undefined),
})
export type ViewSearch = z.infer<typeof viewSearchSchema>

/** True when the URL says nothing about the view (the project's default view applies). */
export function isBareSearch(search: ViewSearch): boolean {
  return Object.values(search).every((v) => v === undefined)
}

/** The view state a URL describes; values it does not name come from the defaults. */
export function searchToState(search: ViewSearch): ViewState {
  const fields: Partial<Record<FilterField, string[]>> = {}
  for (const f of FILTER_FIELDS) if (search[f]?.length) fields[f] = search[f]
  // Parsed like a saved view, so a URL and a saved view mean exactly the same thing.
  return parseViewState({
    kind: search.view ?? DEFAULT_VIEW_STATE.kind,
    filter: { fields, all: search.all, text: search.q, custom: search.cf },
    sort: { key: search.sort ?? 'manual', desc: search.desc },
    group: search.group,
    columns: search.cols,
    calendar: search.cal,
    date: search.date,
    weekStartsOn: search.wso,
    zoom: search.zoom,
    hideSubtasks: search.subtasks === 'hidden',
  })
}

/** The shortest URL search for `state`: defaults are left out. */
export function stateToSearch(state: ViewState, savedViewId?: string): ViewSearch {
  const out: ViewSearch = { view: state.kind }
  for (const f of FILTER_FIELDS) {
    const v = state.filter.fields[f]
    if (v?.length) out[f] = [...v]
  }
  if (state.filter.all?.length) out.all = [...state.filter.all]
  if (state.filter.text?.trim()) out.q = state.filter.text
  if (state.filter.custom && Object.keys(state.filter.custom).length > 0) {
    out.cf = Object.fromEntries(Object.entries(state.filter.custom).map(([k, v]) => [k, [...v]]))
  }
  if (state.sort.key !== 'manual') out.sort = state.sort.key
  if (state.sort.desc) out.desc = true
  if (state.group !== 'none') out.group = state.group
  if (JSON.stringify(state.columns) !== JSON.stringify(DEFAULT_VIEW_STATE.columns)) {
    out.cols = [...state.columns]
  }
  if (state.calendar === 'week') out.cal = 'week'
  if (state.date) out.date = state.date
  if (state.weekStartsOn !== undefined) out.wso = state.weekStartsOn
  if (state.zoom && state.zoom !== 'week') out.zoom = state.zoom
  if (state.hideSubtasks) out.subtasks = 'hidden'
  if (savedViewId) out.sv = savedViewId
  return out
}

/** Two states show the same thing (for "modified since saved"). */
export function sameState(a: ViewState, b: ViewState): boolean {
  return JSON.stringify(parseViewState(a)) === JSON.stringify(parseViewState(b))
}

/** `filter` with `value` added to or removed from `field`. */
export function toggleFilterValue(
  filter: ViewFilter,
  field: FilterField,
  value: string,
): ViewFilter {
  const current = filter.fields[field] ?? []
  const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value]
  return { ...filter, fields: { ...filter.fields, [field]: next } }
}
