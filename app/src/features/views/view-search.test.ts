import { DEFAULT_VIEW_STATE, type ViewState } from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import { isBareSearch, searchToState, stateToSearch, viewSearchSchema } from './view-search'

describe('view state in the URL', () => {
  it('a state survives the round trip through search params', () => {
    const state: ViewState = {
      kind: 'list',
      filter: {
        fields: { assignee: ['me', 'none'], due: ['overdue', '2026-03-01..'] },
        all: ['assignee'],
        text: 'login',
      },
      sort: { key: 'dueDate', desc: true },
      group: 'assignee',
      columns: ['title', 'dueDate', 'estimate'],
    }
    const search = viewSearchSchema.parse(stateToSearch(state, 'v1'))
    expect(search.sv).toBe('v1')
    expect(searchToState(search)).toEqual(state)
  })

  it('hiding subtasks survives the round trip and is left out when they show', () => {
    const hidden: ViewState = { ...DEFAULT_VIEW_STATE, hideSubtasks: true }
    const search = viewSearchSchema.parse(stateToSearch(hidden))
    expect(search.subtasks).toBe('hidden')
    expect(searchToState(search)).toEqual(hidden)
    expect(stateToSearch(DEFAULT_VIEW_STATE).subtasks).toBeUndefined()
    expect(
      searchToState(viewSearchSchema.parse({ subtasks: 'maybe' })).hideSubtasks,
    ).toBeUndefined()
  })

  it('calendar and timeline options survive the round trip; bad ones are dropped', () => {
    const state: ViewState = {
      ...DEFAULT_VIEW_STATE,
      kind: 'calendar',
      calendar: 'week',
      date: '2026-03-29',
      weekStartsOn: 0,
      zoom: 'month',
    }
    const search = viewSearchSchema.parse(stateToSearch(state))
    expect(search).toMatchObject({ cal: 'week', date: '2026-03-29', wso: 0, zoom: 'month' })
    expect(searchToState(search)).toEqual(state)
    const bad = viewSearchSchema.parse({
      view: 'calendar',
      cal: 'year',
      date: '2026-02-30',
      wso: 9,
    })
    expect(searchToState(bad)).toEqual({ ...DEFAULT_VIEW_STATE, kind: 'calendar' })
  })

  it('defaults stay out of the URL', () => {
    expect(stateToSearch(DEFAULT_VIEW_STATE)).toEqual({ view: 'board' })
  })

  it('a bad parameter is dropped, the others kept, never an error', () => {
    const search = viewSearchSchema.parse({
      view: 'gantt',
      priority: ['high', 'extreme'],
      sort: 'colour',
      group: 'label',
      cols: 'dueDate',
    })
    expect(search).toMatchObject({
      view: undefined,
      sort: undefined,
      group: 'label',
      cols: undefined,
    })
    const state = searchToState(search)
    expect(state.kind).toBe('board')
    expect(state.filter.fields).toEqual({ priority: ['high'] })
  })

  it('an empty URL is bare (the project default view applies); any view parameter is not', () => {
    expect(isBareSearch(viewSearchSchema.parse({}))).toBe(true)
    expect(isBareSearch(viewSearchSchema.parse({ view: 'board' }))).toBe(false)
  })
})
