import { describe, expect, it } from 'vitest'
import { DEFAULT_VIEW_STATE, type ViewState } from './query.js'
import {
  createSavedView,
  deleteSavedView,
  getDefaultViewId,
  listSavedViews,
  setDefaultView,
  updateSavedView,
} from './saved-views.js'
import { roots } from './schema.js'
import { replicas, syncAll } from './test/replicas.js'

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

const mine: ViewState = {
  ...DEFAULT_VIEW_STATE,
  kind: 'list',
  filter: { fields: { assignee: ['me'] } },
  sort: { key: 'dueDate' },
}
const urgent: ViewState = {
  ...DEFAULT_VIEW_STATE,
  filter: { fields: { priority: ['urgent'] } },
  group: 'assignee',
}

describe('shared saved views (merge rules V1–V5)', () => {
  it('V1: views saved concurrently on two replicas all exist, in one order everywhere', () => {
    const [a, b] = replicas(2)
    must(createSavedView(a!, { name: 'Mine', state: mine }, { userId: 'ada', now: 1 }))
    must(createSavedView(b!, { name: 'Urgent', state: urgent }, { userId: 'bob', now: 2 }))
    syncAll([a!, b!])
    const names = listSavedViews(a!).map((v) => v.name)
    expect(names.sort()).toEqual(['Mine', 'Urgent'])
    expect(listSavedViews(b!)).toEqual(listSavedViews(a!))
    const saved = listSavedViews(a!).find((v) => v.name === 'Mine')!
    expect(saved.state).toEqual({ ...mine, columns: DEFAULT_VIEW_STATE.columns })
    expect(saved.createdBy).toBe('ada')
  })

  it('V2: a view saved at an index lands there', () => {
    const [a] = replicas(1)
    must(createSavedView(a!, { name: 'one', state: mine }))
    must(createSavedView(a!, { name: 'two', state: mine }))
    must(createSavedView(a!, { name: 'first', state: mine, index: 0 }))
    expect(listSavedViews(a!).map((v) => v.name)).toEqual(['first', 'one', 'two'])
  })

  it('V3: concurrent edits of a view keep the later writer whole per field, never a mix', () => {
    const [a, b] = replicas(2)
    const id = must(createSavedView(a!, { name: 'View', state: mine })).id
    syncAll([a!, b!])
    must(updateSavedView(a!, id, { state: urgent }))
    must(updateSavedView(b!, id, { name: 'Renamed', state: mine }))
    must(updateSavedView(a!, id, { name: 'Ada named it' }))
    syncAll([a!, b!])
    const [va] = listSavedViews(a!)
    const [vb] = listSavedViews(b!)
    expect(va).toEqual(vb)
    // The state is one of the two written, never parts of both.
    expect([JSON.stringify(urgent.filter), JSON.stringify(mine.filter)]).toContain(
      JSON.stringify(va!.state.filter),
    )
    expect(['Renamed', 'Ada named it']).toContain(va!.name)
  })

  it('V4: deleting wins over a concurrent edit, and clears the default', () => {
    const [a, b] = replicas(2)
    const id = must(createSavedView(a!, { name: 'View', state: mine })).id
    must(setDefaultView(a!, id))
    syncAll([a!, b!])
    must(deleteSavedView(a!, id))
    must(updateSavedView(b!, id, { name: 'Still here?' }))
    syncAll([a!, b!])
    expect(listSavedViews(a!)).toEqual([])
    expect(listSavedViews(b!)).toEqual([])
    expect(getDefaultViewId(b!)).toBeNull()
  })

  it('V5: the default view is last writer wins, and a default deleted concurrently reads as none', () => {
    const [a, b] = replicas(2)
    const one = must(createSavedView(a!, { name: 'one', state: mine })).id
    const two = must(createSavedView(a!, { name: 'two', state: urgent })).id
    syncAll([a!, b!])
    must(setDefaultView(a!, one))
    must(deleteSavedView(b!, one))
    syncAll([a!, b!])
    expect(getDefaultViewId(a!)).toBeNull()
    must(setDefaultView(b!, two))
    syncAll([a!, b!])
    expect(getDefaultViewId(a!)).toBe(two)
  })

  it('refuses bad input and writes nothing', () => {
    const [a] = replicas(1)
    const before = roots(a!).views.size
    expect(createSavedView(a!, { name: '  ', state: mine }).ok).toBe(false)
    expect(createSavedView(a!, { name: 'x', state: null as unknown as ViewState }).ok).toBe(false)
    const huge = {
      ...mine,
      filter: { fields: { label: Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(64, 'x')) } },
    }
    expect(createSavedView(a!, { name: 'x', state: huge }).ok).toBe(true)
    expect(updateSavedView(a!, 'nope', { name: 'x' }).ok).toBe(false)
    expect(setDefaultView(a!, 'nope').ok).toBe(false)
    expect(deleteSavedView(a!, 'nope').ok).toBe(false)
    expect(roots(a!).views.size).toBe(before + 1)
  })

  it('a state a peer wrote badly reads as what can be understood', () => {
    const [a] = replicas(1)
    const id = must(createSavedView(a!, { name: 'x', state: mine })).id
    roots(a!).views.get(id)!.set('state', '{not json')
    expect(listSavedViews(a!)[0]!.state).toEqual(DEFAULT_VIEW_STATE)
    roots(a!)
      .views.get(id)!
      .set('state', JSON.stringify({ kind: 'timeline', future: { x: 1 } }))
    expect(listSavedViews(a!)[0]!.state.kind).toBe('timeline')
  })
})
