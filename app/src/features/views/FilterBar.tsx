import {
  COLUMN_CATEGORIES,
  DUE_PRESETS,
  FILTER_FIELDS,
  type FieldDef,
  type FilterField,
  fieldRef,
  ME,
  NONE,
  PRIORITIES,
  prepareTextFilter,
  type TaskSummary,
  type ViewFilter,
} from '@taskflow/board'
import { ListFilter, Search, X } from 'lucide-react'
import { DropdownMenu } from 'radix-ui'
import { memo, useEffect, useRef, useState } from 'react'
import { cx } from '../../ui/primitives'
import { useBoardEnv } from '../board/board-context'
import { provideAction } from '../shell/shortcuts'
import {
  activeCustomFilters,
  canMatchAll,
  containsValue,
  customValueLabel,
  fieldChoices,
  holdsRemovedOption,
  rangeValue,
  removeCustomFilter,
  setMatchAll,
  toggleCustomValue,
  typedInputOf,
} from './custom-filter'
import {
  CATEGORY_LABELS,
  DUE_LABELS,
  FIELD_LABELS,
  MULTI_VALUED,
  PRIORITY_LABELS,
  valueLabel,
} from './filter-labels'
import { toggleFilterValue } from './view-search'

export const MENU_ITEM =
  'flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 outline-none data-disabled:cursor-default data-disabled:text-slate-400 data-highlighted:bg-slate-100 dark:data-highlighted:bg-slate-800'
export const MENU_CONTENT =
  'z-40 max-h-[min(24rem,var(--radix-dropdown-menu-content-available-height))] min-w-48 max-w-[calc(100vw-1rem)] overflow-y-auto rounded-md border border-slate-200 bg-white p-1 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900'

interface Props {
  filter: ViewFilter
  onChange: (filter: ViewFilter) => void
  /** The text box's own value: filtered on every key, put in the URL a moment later. */
  text: string
  onText: (text: string) => void
  /** The board's live tasks, read when a select field's menu opens ("Removed option"). */
  tasks?: () => Iterable<TaskSummary>
}

const CHIP =
  'flex items-center gap-1 rounded-full bg-indigo-50 py-0.5 pr-1 pl-2.5 text-xs text-indigo-900 dark:bg-indigo-950 dark:text-indigo-100'
const CHIP_MODE =
  'rounded px-1 font-medium uppercase tracking-wide text-indigo-700 hover:bg-indigo-100 dark:text-indigo-300'
const CHIP_REMOVE = 'rounded-full p-0.5 hover:bg-indigo-100 dark:hover:bg-indigo-900'

// One element for every render: React skips it (an icon re-renders its SVG otherwise).
const SEARCH_ICON = (
  <Search className="pointer-events-none absolute left-2 size-3.5 text-slate-400" />
)

/** The text box, the "Filter" menu and one removable chip per constrained field. */
export function FilterBar(props: Props) {
  const { filter, onChange } = props
  const { membersById, labelsById, fields } = useBoardEnv()
  const names = {
    user: (id: string) => membersById.get(id)?.name || membersById.get(id)?.email || 'Unknown',
    label: (id: string) => labelsById.get(id)?.name ?? '',
  }
  const active = FILTER_FIELDS.filter((f) => filter.fields[f]?.length)
  const activeCustom = activeCustomFilters(filter, fields)
  const textBox = useRef<HTMLInputElement>(null)
  // `f` (the app's shortcut dispatcher) puts the caret in the filter box.
  useEffect(() => provideAction('filter', () => textBox.current?.focus()), [])
  const setAll = (field: FilterField, all: boolean) => onChange(setMatchAll(filter, field, all))
  return (
    <div className="flex min-w-0 flex-wrap items-center gap-1.5" data-testid="filter-bar">
      <label className="relative flex items-center">
        {SEARCH_ICON}
        <input
          ref={textBox}
          type="search"
          value={props.text}
          onChange={(e) => props.onText(e.target.value)}
          // Titles lowered before the first key rather than by it (10,000 on a big board).
          onFocus={() => props.tasks && prepareTextFilter(props.tasks())}
          placeholder="Filter by title"
          aria-label="Filter by title"
          data-testid="filter-text"
          className="h-8 w-44 rounded-md border border-slate-300 bg-white pr-2 pl-7 text-sm dark:border-slate-700 dark:bg-slate-900"
        />
      </label>
      <FilterMenu filter={filter} onChange={onChange} tasks={props.tasks} />
      {active.map((field) => {
        const values = filter.fields[field] ?? []
        const all = filter.all?.includes(field) ?? false
        return (
          <span key={field} data-testid="filter-chip" data-field={field} className={CHIP}>
            <span className="font-medium">{FIELD_LABELS[field]}:</span>
            <span>{values.map((v) => valueLabel(field, v, names)).join(all ? ' and ' : ', ')}</span>
            {values.length > 1 && MULTI_VALUED.includes(field) && (
              <button
                type="button"
                onClick={() => setAll(field, !all)}
                className={CHIP_MODE}
                aria-label={`${FIELD_LABELS[field]}: match ${all ? 'any' : 'all'} instead`}
                title={all ? 'Tasks matching all of these' : 'Tasks matching any of these'}
              >
                {all ? 'all' : 'any'}
              </button>
            )}
            <button
              type="button"
              aria-label={`Remove ${FIELD_LABELS[field]} filter`}
              onClick={() =>
                onChange({
                  ...filter,
                  fields: { ...filter.fields, [field]: [] },
                  all: (filter.all ?? []).filter((f) => f !== field),
                })
              }
              className={CHIP_REMOVE}
            >
              <X className="size-3" />
            </button>
          </span>
        )
      })}
      {activeCustom.map(({ fieldId, field, values }) => (
        <CustomChip
          key={fieldId}
          fieldId={fieldId}
          field={field}
          values={values}
          filter={filter}
          onChange={onChange}
          userName={names.user}
        />
      ))}
      {(active.length > 0 || activeCustom.length > 0 || props.text) && (
        <button
          type="button"
          data-testid="filter-clear"
          onClick={() => {
            props.onText('')
            onChange({ fields: {} })
          }}
          className="rounded px-1.5 text-xs text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800"
        >
          Clear
        </button>
      )}
    </div>
  )
}

/**
 * Radix's menu: arrows, Enter, Escape and → into each field's values. Memoised: the bar
 * re-renders on every key typed in the text box, the menu only when the filter changes.
 */
const FilterMenu = memo(function FilterMenu(props: {
  filter: ViewFilter
  onChange: (f: ViewFilter) => void
  tasks?: () => Iterable<TaskSummary>
}) {
  const { membersById, labelsById, fields } = useBoardEnv()
  const members = [...membersById.values()].sort((a, b) =>
    (a.name || a.email).localeCompare(b.name || b.email),
  )
  const labels = [...labelsById.values()]
  const people = [
    { value: ME, label: 'Me' },
    ...members.map((m) => ({ value: m.userId, label: m.name || m.email })),
  ]
  const options: Record<FilterField, { value: string; label: string }[]> = {
    assignee: [...people.slice(0, 1), { value: NONE, label: 'Unassigned' }, ...people.slice(1)],
    label: [
      { value: NONE, label: 'No label' },
      ...labels.map((l) => ({ value: l.id, label: l.name })),
    ],
    priority: [...PRIORITIES].reverse().map((p) => ({ value: p, label: PRIORITY_LABELS[p] })),
    status: COLUMN_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] })),
    due: DUE_PRESETS.map((d) => ({ value: d, label: DUE_LABELS[d]! })),
    createdBy: people,
    updatedBy: people,
  }
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <button
          type="button"
          data-testid="filter-menu"
          className="flex h-8 items-center gap-1 rounded-md px-2 text-sm font-medium text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
        >
          <ListFilter className="size-4" /> Filter
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="start"
          sideOffset={6}
          collisionPadding={8}
          className={MENU_CONTENT}
        >
          {FILTER_FIELDS.map((field) => (
            <DropdownMenu.Sub key={field}>
              <DropdownMenu.SubTrigger className={MENU_ITEM} data-testid={`filter-field-${field}`}>
                {FIELD_LABELS[field]}
              </DropdownMenu.SubTrigger>
              <DropdownMenu.Portal>
                <DropdownMenu.SubContent
                  className={MENU_CONTENT}
                  sideOffset={4}
                  collisionPadding={8}
                >
                  {options[field].map((o) => (
                    <DropdownMenu.CheckboxItem
                      key={o.value}
                      className={cx(MENU_ITEM, 'pl-7 relative')}
                      checked={props.filter.fields[field]?.includes(o.value) ?? false}
                      onSelect={(e) => e.preventDefault()}
                      onCheckedChange={() =>
                        props.onChange(toggleFilterValue(props.filter, field, o.value))
                      }
                    >
                      <DropdownMenu.ItemIndicator className="absolute left-2">
                        ✓
                      </DropdownMenu.ItemIndicator>
                      {o.label}
                    </DropdownMenu.CheckboxItem>
                  ))}
                  {field === 'due' && <DueRange filter={props.filter} onChange={props.onChange} />}
                </DropdownMenu.SubContent>
              </DropdownMenu.Portal>
            </DropdownMenu.Sub>
          ))}
          {fields.length > 0 && (
            <>
              <DropdownMenu.Separator className="my-1 h-px bg-slate-200 dark:bg-slate-700" />
              <DropdownMenu.Label className="px-2 py-1 text-xs text-slate-500">
                Custom fields
              </DropdownMenu.Label>
            </>
          )}
          {fields.map((field) => (
            <DropdownMenu.Sub key={field.id}>
              <DropdownMenu.SubTrigger
                className={MENU_ITEM}
                data-testid="filter-custom-field"
                data-field-id={field.id}
              >
                {field.name}
              </DropdownMenu.SubTrigger>
              <DropdownMenu.Portal>
                <DropdownMenu.SubContent
                  className={MENU_CONTENT}
                  sideOffset={4}
                  collisionPadding={8}
                >
                  <CustomFieldMenu
                    field={field}
                    filter={props.filter}
                    onChange={props.onChange}
                    tasks={props.tasks}
                  />
                </DropdownMenu.SubContent>
              </DropdownMenu.Portal>
            </DropdownMenu.Sub>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  )
})

/** A due-date range as two date fields inside the menu. */
function DueRange(props: { filter: ViewFilter; onChange: (f: ViewFilter) => void }) {
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const add = () => {
    if (!from && !to) return
    if (from && to && from > to) return
    props.onChange(toggleFilterValue(props.filter, 'due', `${from}..${to}`))
  }
  return (
    // Keys typed here must not drive the menu's type-ahead.
    // biome-ignore lint/a11y/noStaticElementInteractions: only stops key events from reaching the menu
    <div
      className="mt-1 border-t border-slate-200 px-2 pt-2 pb-1 dark:border-slate-700"
      onKeyDown={(e) => e.stopPropagation()}
    >
      <p className="mb-1 text-xs text-slate-500">Range</p>
      <div className="flex items-center gap-1">
        <input
          type="date"
          aria-label="Due from"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          className="rounded border border-slate-300 px-1 text-xs dark:border-slate-700 dark:bg-slate-900"
        />
        <input
          type="date"
          aria-label="Due until"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          className="rounded border border-slate-300 px-1 text-xs dark:border-slate-700 dark:bg-slate-900"
        />
        <button
          type="button"
          onClick={add}
          className="rounded bg-indigo-600 px-2 py-0.5 text-xs text-white"
        >
          Add
        </button>
      </div>
    </div>
  )
}

/** One custom field's chip: its name, its values, any/all, and ×. */
function CustomChip(props: {
  fieldId: string
  field: FieldDef | undefined
  values: readonly string[]
  filter: ViewFilter
  onChange: (f: ViewFilter) => void
  userName: (id: string) => string
}) {
  const { fieldId, field, values, filter, onChange } = props
  // A field deleted since the view was saved matches nothing: the chip says so and goes.
  const name = field?.name ?? 'Deleted field'
  const ref = fieldRef(fieldId)
  const all = filter.all?.includes(ref) ?? false
  return (
    <span data-testid="filter-chip" data-field={ref} className={CHIP}>
      <span className="font-medium">{name}:</span>
      <span>
        {values.map((v) => customValueLabel(field, v, props.userName)).join(all ? ' and ' : ', ')}
      </span>
      {values.length > 1 && canMatchAll(field) && (
        <button
          type="button"
          onClick={() => onChange(setMatchAll(filter, ref, !all))}
          className={CHIP_MODE}
          aria-label={`${name}: match ${all ? 'any' : 'all'} instead`}
          title={all ? 'Tasks matching all of these' : 'Tasks matching any of these'}
        >
          {all ? 'all' : 'any'}
        </button>
      )}
      <button
        type="button"
        aria-label={`Remove ${name} filter`}
        onClick={() => onChange(removeCustomFilter(filter, fieldId))}
        className={CHIP_REMOVE}
      >
        <X className="size-3" />
      </button>
    </span>
  )
}

/** A custom field's submenu: values to tick, and a typed range or words where they fit. */
function CustomFieldMenu(props: {
  field: FieldDef
  filter: ViewFilter
  onChange: (f: ViewFilter) => void
  tasks?: () => Iterable<TaskSummary>
}) {
  const { field, filter, onChange } = props
  const { membersById } = useBoardEnv()
  const selected = filter.custom?.[field.id] ?? []
  const people = [...membersById.values()]
    .map((m) => ({ userId: m.userId, name: m.name || m.email }))
    .sort((a, b) => a.name.localeCompare(b.name))
  // Read once per opening of the submenu (it mounts when opened), not on every render.
  const [holdsRemoved] = useState(() =>
    props.tasks ? holdsRemovedOption(field, props.tasks()) : false,
  )
  const choices = fieldChoices(field, people, { holdsRemoved, selected })
  const typed = typedInputOf(field.type)
  return (
    <>
      {typed && (
        <TypedValue
          field={field}
          kind={typed}
          onAdd={(value) => {
            if (!selected.includes(value)) onChange(toggleCustomValue(filter, field.id, value))
          }}
        />
      )}
      {choices.map((o) => (
        <DropdownMenu.CheckboxItem
          key={o.value}
          className={cx(MENU_ITEM, 'pl-7 relative')}
          checked={selected.includes(o.value)}
          onSelect={(e) => e.preventDefault()}
          onCheckedChange={() => onChange(toggleCustomValue(filter, field.id, o.value))}
        >
          {/* aria-checked says it; the tick is for the eye (and keeps the name "Spec"). */}
          <DropdownMenu.ItemIndicator aria-hidden className="absolute left-2">
            ✓
          </DropdownMenu.ItemIndicator>
          {o.color && (
            <span
              aria-hidden
              className="size-2.5 shrink-0 rounded-full"
              style={{ backgroundColor: o.color }}
            />
          )}
          {o.label}
        </DropdownMenu.CheckboxItem>
      ))}
    </>
  )
}

/** Typed values inside the menu: a number or date range, or words a text contains. */
function TypedValue(props: {
  field: FieldDef
  kind: 'number-range' | 'date-range' | 'contains'
  onAdd: (value: string) => void
}) {
  const { field, kind } = props
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const value =
    kind === 'contains'
      ? containsValue(from)
      : rangeValue(kind === 'number-range' ? 'number' : 'date', from, to)
  const add = () => {
    if (value === null) return
    props.onAdd(value)
    setFrom('')
    setTo('')
  }
  const input =
    'w-28 rounded border border-slate-300 px-1 text-xs dark:border-slate-700 dark:bg-slate-900'
  const type = kind === 'number-range' ? 'number' : kind === 'date-range' ? 'date' : 'text'
  const first = useRef<HTMLInputElement>(null)
  const title = kind === 'contains' ? 'Contains…' : kind === 'number-range' ? 'Between…' : 'Range…'
  return (
    <>
      {/* The menu's arrow keys reach items only: this one puts the caret in the first box,
          from where Tab goes on to the next and to Add, Enter adds, Escape closes. */}
      <DropdownMenu.Item
        className={cx(MENU_ITEM, 'pl-7 text-slate-600 dark:text-slate-300')}
        onSelect={(e) => {
          e.preventDefault()
          first.current?.focus()
        }}
      >
        {title}
      </DropdownMenu.Item>
      <TypedInputs
        onKeyDown={(e) => {
          if (e.key === 'Escape') return
          e.stopPropagation()
          if (e.key === 'Enter') {
            e.preventDefault()
            add()
          }
        }}
      >
        <input
          ref={first}
          type={type}
          aria-label={kind === 'contains' ? `${field.name} contains` : `${field.name} from`}
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          className={input}
        />
        {kind !== 'contains' && (
          <input
            type={type}
            aria-label={`${field.name} to`}
            value={to}
            onChange={(e) => setTo(e.target.value)}
            className={input}
          />
        )}
        <button
          type="button"
          onClick={add}
          disabled={value === null}
          className="rounded bg-indigo-600 px-2 py-0.5 text-xs text-white disabled:opacity-50"
        >
          Add
        </button>
      </TypedInputs>
    </>
  )
}

function TypedInputs(props: {
  onKeyDown: (e: React.KeyboardEvent) => void
  children: React.ReactNode
}) {
  return (
    // Keys typed here must not drive the menu's type-ahead or its Tab trap; Enter adds.
    // biome-ignore lint/a11y/noStaticElementInteractions: only stops key events from reaching the menu
    <div
      className="mb-1 flex items-center gap-1 border-b border-slate-200 px-2 pb-2 dark:border-slate-700"
      onKeyDown={props.onKeyDown}
      data-testid="filter-custom-input"
    >
      {props.children}
    </div>
  )
}
