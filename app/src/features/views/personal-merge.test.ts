import { DEFAULT_VIEW_STATE, parseViewState } from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import { mergePersonalViews, type PersonalView, pushOutcome } from './personal-merge'

const state = (text: string) =>
  parseViewState({ ...DEFAULT_VIEW_STATE, filter: { fields: {}, text } })
const view = (id: string, updatedAt: number, text = id): PersonalView => ({
  id,
  name: `View ${id}`,
  state: state(text),
  updatedAt,
})
// As the server answers it (plain JSON).
const server = (v: PersonalView) => ({
  ...v,
  projectId: 'p',
  state: JSON.parse(JSON.stringify(v.state)),
})

describe('mergePersonalViews (last writer wins by updatedAt)', () => {
  it('queues local views the server has never seen (views kept here before the server stored them)', () => {
    const r = mergePersonalViews([view('a', 5)], {}, { views: [], deleted: [] })
    expect(r.views).toEqual([view('a', 5)])
    expect(r.outbox).toEqual({ a: { op: 'put', updatedAt: 5 } })
  })

  it("adopts a view saved on another device, and the server's newer copy of a local one", () => {
    const r = mergePersonalViews(
      [view('a', 5, 'old')],
      { a: { op: 'put', updatedAt: 5 } },
      { views: [server(view('a', 9, 'new')), server(view('b', 3))], deleted: [] },
    )
    expect(r.views.map((v) => [v.id, v.state.filter.text])).toEqual([
      ['a', 'new'],
      ['b', 'b'],
    ])
    expect(r.outbox).toEqual({})
  })

  it("keeps and queues a local edit newer than the server's copy", () => {
    const r = mergePersonalViews(
      [view('a', 9, 'mine')],
      {},
      {
        views: [server(view('a', 5, 'theirs'))],
        deleted: [],
      },
    )
    expect(r.views[0]!.state.filter.text).toBe('mine')
    expect(r.outbox).toEqual({ a: { op: 'put', updatedAt: 9 } })
  })

  it('drops a view deleted elsewhere after its last local edit, keeps one edited after the deletion', () => {
    const r = mergePersonalViews(
      [view('a', 5), view('b', 9)],
      {},
      {
        views: [],
        deleted: [
          { id: 'a', updatedAt: 6 },
          { id: 'b', updatedAt: 7 },
        ],
      },
    )
    expect(r.views.map((v) => v.id)).toEqual(['b'])
    expect(r.outbox).toEqual({ b: { op: 'put', updatedAt: 9 } })
  })

  it('does not bring back a view deleted here while offline', () => {
    const r = mergePersonalViews(
      [],
      { a: { op: 'delete', updatedAt: 8 } },
      {
        views: [server(view('a', 5))],
        deleted: [],
      },
    )
    expect(r.views).toEqual([])
    expect(r.outbox).toEqual({ a: { op: 'delete', updatedAt: 8 } })
  })
})

describe('pushOutcome', () => {
  it("adopts the server's answer when it is newer, drops the view on 410", () => {
    const entry = { op: 'put' as const, updatedAt: 5 }
    expect(
      pushOutcome([view('a', 5)], 'a', entry, { kind: 'stored', view: view('a', 9, 'x') }),
    ).toEqual([view('a', 9, 'x')])
    expect(
      pushOutcome([view('a', 5)], 'a', entry, { kind: 'stored', view: view('a', 5) }),
    ).toBeNull()
    expect(pushOutcome([view('a', 5)], 'a', entry, { kind: 'gone' })).toEqual([])
  })
})
