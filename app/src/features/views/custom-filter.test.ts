import {
  boardTasks,
  compileFilter,
  createField,
  createTask,
  envFromView,
  type FieldDef,
  fieldRef,
  getBoardView,
  initBoard,
  listFields,
  removeFieldOption,
  setTaskFieldValue,
  type ViewFilter,
} from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  activeCustomFilters,
  canMatchAll,
  customValueLabel,
  fieldChoices,
  holdsRemovedOption,
  rangeValue,
  removeCustomFilter,
  setMatchAll,
  toggleCustomValue,
} from './custom-filter'
import { searchToState, stateToSearch, viewSearchSchema } from './view-search'

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

/** A board with "Stage" (Spec, Build), "Tags" (ux, api), "Cost", "Due on", "Note", "Owner", "Done". */
function board() {
  const doc = new Y.Doc()
  initBoard(doc, { name: 'B', columns: [{ name: 'To do', category: 'todo' }] })
  const col = getBoardView(doc).columns[0]!.id
  const stage = must(
    createField(doc, {
      name: 'Stage',
      type: 'single_select',
      options: [
        { name: 'Spec', color: '#3b82f6' },
        { name: 'Build', color: '#22c55e' },
      ],
    }),
  )
  const tags = must(
    createField(doc, {
      name: 'Tags',
      type: 'multi_select',
      options: [
        { name: 'ux', color: '#3b82f6' },
        { name: 'api', color: '#22c55e' },
      ],
    }),
  )
  const cost = must(createField(doc, { name: 'Cost', type: 'number' })).id
  const dueOn = must(createField(doc, { name: 'Due on', type: 'date' })).id
  const note = must(createField(doc, { name: 'Note', type: 'text' })).id
  const owner = must(createField(doc, { name: 'Owner', type: 'person' })).id
  const done = must(createField(doc, { name: 'Done', type: 'checkbox' })).id
  const task = (title: string) => must(createTask(doc, { columnId: col, title })).id
  const [a, b, c] = [task('a'), task('b'), task('c')]
  const set = (id: string, field: string, v: string | number | boolean | string[]) =>
    must(setTaskFieldValue(doc, id, field, v))
  set(a, stage.id, stage.optionIds[0]!)
  set(b, stage.id, stage.optionIds[1]!)
  set(a, tags.id, [tags.optionIds[0]!, tags.optionIds[1]!])
  set(b, tags.id, [tags.optionIds[0]!])
  set(a, cost, 5)
  set(b, cost, 50)
  set(a, dueOn, '2026-12-01')
  set(c, dueOn, '2027-01-15')
  set(a, note, 'Waiting for Legal')
  set(b, owner, 'ada')
  set(c, done, true)
  const field = (id: string) => listFields(doc).find((f) => f.id === id) as FieldDef
  /** Titles of the tasks `filter` keeps, as the board shows them. */
  const shown = (filter: ViewFilter) => {
    const view = getBoardView(doc)
    const env = envFromView(view, {
      me: 'ada',
      today: '2026-12-04',
      userName: (id) => id,
      labelName: (id) => id,
      fields: listFields(doc),
    })
    return boardTasks(view)
      .filter(compileFilter(filter, env))
      .map((t) => t.title)
  }
  return { doc, stage, tags, cost, dueOn, note, owner, done, field, shown }
}

const EMPTY: ViewFilter = { fields: {} }

describe('the filter bar’s custom-field glue', () => {
  it('ticking values in the menu filters the board by them, any of them by default', () => {
    const { stage, shown } = board()
    const [spec, build] = stage.optionIds as [string, string]
    let f = toggleCustomValue(EMPTY, stage.id, spec)
    expect(shown(f)).toEqual(['a'])
    f = toggleCustomValue(f, stage.id, build)
    expect(f.custom).toEqual({ [stage.id]: [spec, build] })
    expect(shown(f)).toEqual(['a', 'b'])
    f = toggleCustomValue(f, stage.id, spec)
    expect(shown(f)).toEqual(['b'])
    // Unticking the last value drops the field: nothing left constrains the board.
    f = toggleCustomValue(f, stage.id, build)
    expect(f.custom).toEqual({})
    expect(shown(f)).toEqual(['a', 'b', 'c'])
  })

  it('a multi select or a text matches all of its values once the chip says "all", and the chip’s × forgets both', () => {
    const { tags, note, field, shown } = board()
    const [ux, api] = tags.optionIds as [string, string]
    let f = toggleCustomValue(toggleCustomValue(EMPTY, tags.id, ux), tags.id, api)
    expect(shown(f)).toEqual(['a', 'b'])
    expect(canMatchAll(field(tags.id))).toBe(true)
    f = setMatchAll(f, fieldRef(tags.id), true)
    expect(shown(f)).toEqual(['a'])
    f = toggleCustomValue(toggleCustomValue(f, note, 'legal'), note, 'waiting')
    f = setMatchAll(f, fieldRef(note), true)
    expect(shown(f)).toEqual(['a'])
    f = removeCustomFilter(f, tags.id)
    expect(f.all).toEqual([fieldRef(note)])
    f = removeCustomFilter(f, note)
    expect(f).toEqual({ fields: {}, custom: {}, all: [] })
    expect(shown(f)).toEqual(['a', 'b', 'c'])
  })

  it('offers each type’s values: options and "Removed option" once a task holds one, people, checkbox states, then any / empty', () => {
    const { doc, stage, owner, done, field, shown } = board()
    const people = [{ userId: 'bob', name: 'Bob' }]
    const labels = (id: string, holdsRemoved = false) =>
      fieldChoices(field(id), people, { holdsRemoved, selected: [] }).map((c) => c.label)
    const tasks = () => boardTasks(getBoardView(doc))
    expect(holdsRemovedOption(field(stage.id), tasks())).toBe(false)
    expect(labels(stage.id)).toEqual(['Spec', 'Build', 'Any value', 'Empty'])
    must(removeFieldOption(doc, stage.id, stage.optionIds[0]!))
    expect(holdsRemovedOption(field(stage.id), tasks())).toBe(true)
    const choices = fieldChoices(field(stage.id), people, { holdsRemoved: true, selected: [] })
    expect(choices.map((c) => c.label)).toEqual(['Build', 'Removed option', 'Any value', 'Empty'])
    // Ticking "Removed option" finds the task whose option was removed, and the chip says so.
    const removed = choices.find((c) => c.label === 'Removed option')!.value
    expect(shown(toggleCustomValue(EMPTY, stage.id, removed))).toEqual(['a'])
    expect(customValueLabel(field(stage.id), removed, (id) => id)).toBe('Removed option')
    expect(customValueLabel(field(stage.id), stage.optionIds[0]!, (id) => id)).toBe(
      'Removed option',
    )
    expect(labels(owner)).toEqual(['Me', 'Bob', 'Any value', 'Empty'])
    expect(labels(done)).toEqual(['Checked', 'Unchecked', 'Any value', 'Empty'])
    expect(shown(toggleCustomValue(EMPTY, owner, 'me'))).toEqual(['b'])
    expect(shown(toggleCustomValue(EMPTY, done, 'true'))).toEqual(['c'])
    expect(shown(toggleCustomValue(EMPTY, done, 'any'))).toEqual(['c'])
    expect(shown(toggleCustomValue(EMPTY, owner, 'none'))).toEqual(['a', 'c'])
  })

  it('typed ranges and words become values the board reads, and bad ones are not offered', () => {
    const { cost, dueOn, note, field, shown } = board()
    expect(rangeValue('number', '10', '')).toBe('10..')
    expect(rangeValue('number', '', '')).toBeNull()
    expect(rangeValue('number', '9', '3')).toBeNull()
    expect(rangeValue('number', 'x', '')).toBeNull()
    expect(rangeValue('date', '2026-12-01', '2026-12-31')).toBe('2026-12-01..2026-12-31')
    expect(rangeValue('date', '2026-13', '')).toBeNull()
    expect(shown(toggleCustomValue(EMPTY, cost, rangeValue('number', '10', '')!))).toEqual(['b'])
    expect(shown(toggleCustomValue(EMPTY, cost, rangeValue('number', '', '5')!))).toEqual(['a'])
    expect(shown(toggleCustomValue(EMPTY, dueOn, rangeValue('date', '2027-01-01', '')!))).toEqual([
      'c',
    ])
    expect(shown(toggleCustomValue(EMPTY, note, 'LEGAL'))).toEqual(['a'])
    const user = (id: string) => id
    expect(customValueLabel(field(cost), '10..', user)).toBe('≥ 10')
    expect(customValueLabel(field(cost), '..5', user)).toBe('≤ 5')
    expect(customValueLabel(field(cost), '1..5', user)).toBe('1 – 5')
    expect(customValueLabel(field(dueOn), '2027-01-01..', user)).toBe('from 2027-01-01')
    expect(customValueLabel(field(note), 'legal', user)).toBe('contains “legal”')
    expect(customValueLabel(field(note), 'none', user)).toBe('Empty')
  })

  it('the URL reproduces custom-field filters and their "all", and chips follow the field order with deleted fields last', () => {
    const { tags, note, stage, field, shown } = board()
    const [ux, api] = tags.optionIds as [string, string]
    let f = toggleCustomValue(EMPTY, 'gone-field', 'x')
    f = toggleCustomValue(f, note, 'legal')
    f = toggleCustomValue(toggleCustomValue(f, tags.id, ux), tags.id, api)
    f = setMatchAll(f, fieldRef(tags.id), true)
    const state = searchToState({ view: 'board' })
    const url = new URLSearchParams(
      Object.entries(stateToSearch({ ...state, filter: f })).map(([k, v]) => [
        k,
        JSON.stringify(v),
      ]),
    )
    const back = searchToState(
      viewSearchSchema.parse(
        Object.fromEntries([...url.entries()].map(([k, v]) => [k, JSON.parse(v)])),
      ),
    )
    expect(back.filter.custom).toEqual(f.custom)
    expect(back.filter.all).toEqual([fieldRef(tags.id)])
    expect(shown(back.filter)).toEqual([])
    expect(shown(removeCustomFilter(back.filter, 'gone-field'))).toEqual(['a'])
    const fields = [field(stage.id), field(tags.id), field(note)]
    expect(activeCustomFilters(back.filter, fields).map((c) => c.field?.name ?? c.fieldId)).toEqual(
      ['Tags', 'Note', 'gone-field'],
    )
  })
})
