import { describe, expect, it } from 'vitest'
import { createField, listFields, removeFieldOption, setTaskFieldValue } from './custom-fields.js'
import { fieldRef } from './custom-fields-query.js'
import {
  boardTasks,
  compileFilter,
  envFromView,
  groupTasks,
  parseViewState,
  sortTasks,
} from './query.js'
import { createTask } from './tasks.js'
import { columnIds, replicas } from './test/replicas.js'
import { getBoardView } from './views.js'

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message)
  return r.value
}

function board() {
  const [doc] = replicas(1)
  const col = columnIds(doc!)[0]!
  const {
    id: stage,
    optionIds: [spec, build],
  } = must(
    createField(doc!, {
      name: 'Stage',
      type: 'single_select',
      options: [
        { name: 'Spec', color: '#3b82f6' },
        { name: 'Build', color: '#22c55e' },
      ],
    }),
  )
  const cost = must(createField(doc!, { name: 'Cost', type: 'number' })).id
  const owner = must(createField(doc!, { name: 'Owner', type: 'person' })).id
  const t = (title: string) => must(createTask(doc!, { columnId: col, title })).id
  const a = t('a')
  const b = t('b')
  t('c')
  must(setTaskFieldValue(doc!, a, stage, build!))
  must(setTaskFieldValue(doc!, b, stage, spec!))
  must(setTaskFieldValue(doc!, a, cost, 5))
  must(setTaskFieldValue(doc!, b, cost, 50))
  must(setTaskFieldValue(doc!, b, owner, 'ada'))
  const env = () =>
    envFromView(getBoardView(doc!), {
      me: 'ada',
      today: '2026-12-04',
      userName: (id) => id.toUpperCase(),
      labelName: (id) => id,
      fields: listFields(doc!),
    })
  const tasks = () => boardTasks(getBoardView(doc!))
  const titles = (list: { title: string }[]) => list.map((x) => x.title)
  return { doc: doc!, stage, spec: spec!, build: build!, cost, owner, env, tasks, titles }
}

describe('custom fields in views (filter, sort, group)', () => {
  it('filters by select option, person "me", number range and "none"', () => {
    const { stage, spec, cost, owner, env, tasks, titles } = board()
    const f = (custom: Record<string, string[]>) =>
      titles(tasks().filter(compileFilter({ fields: {}, custom }, env())))
    expect(f({ [stage]: [spec] })).toEqual(['b'])
    expect(f({ [owner]: ['me'] })).toEqual(['b'])
    expect(f({ [cost]: ['10..'] })).toEqual(['b'])
    expect(f({ [stage]: ['none'] })).toEqual(['c'])
  })

  it('sorts by option order and groups by option, with a removed option and no value apart', () => {
    const { doc, stage, spec, env, tasks, titles } = board()
    expect(titles(sortTasks(tasks(), { key: fieldRef(stage) }, env()))).toEqual(['b', 'a', 'c'])
    must(removeFieldOption(doc, stage, spec))
    const groups = groupTasks(tasks(), fieldRef(stage), env())
    expect(groups.map((g) => [g.label, titles(g.tasks)])).toEqual([
      ['Build', ['a']],
      ['removed option', ['b']],
      ['No Stage', ['c']],
    ])
  })

  it('keeps field references of a saved view state and drops malformed ones', () => {
    const s = parseViewState({
      sort: { key: 'field:abc' },
      group: 'field:abc',
      columns: ['title', 'field:abc', 'field:', 'nope'],
      filter: { fields: {}, custom: { abc: ['x', 3], 'bad id': ['y'] } },
    })
    expect(s).toMatchObject({
      sort: { key: 'field:abc' },
      group: 'field:abc',
      columns: ['title', 'field:abc'],
      filter: { custom: { abc: ['x'] } },
    })
  })
})
