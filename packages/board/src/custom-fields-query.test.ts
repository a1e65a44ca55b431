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

  it('filters a removed option by "removed", text by the words it contains, and "all" of several values when asked', () => {
    const { doc, stage, spec, build, env, tasks, titles } = board()
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
    const [ux, api] = tags.optionIds as [string, string]
    const note = must(createField(doc, { name: 'Note', type: 'text' })).id
    const [a, b, c] = tasks().map((t) => t.id) as [string, string, string]
    must(setTaskFieldValue(doc, a, tags.id, [ux, api]))
    must(setTaskFieldValue(doc, b, tags.id, [ux]))
    must(setTaskFieldValue(doc, a, note, 'Waiting for Legal'))
    must(setTaskFieldValue(doc, c, note, 'legalese'))
    const f = (custom: Record<string, string[]>, all?: `field:${string}`[]) =>
      titles(tasks().filter(compileFilter({ fields: {}, custom, all }, env())))
    // Any of the options, or all of them when the field is in `all`.
    expect(f({ [tags.id]: [ux, api] })).toEqual(['a', 'b'])
    expect(f({ [tags.id]: [ux, api] }, [fieldRef(tags.id)])).toEqual(['a'])
    // Text: the value contains the words, whatever their case.
    expect(f({ [note]: ['LEGAL'] })).toEqual(['a', 'c'])
    expect(f({ [note]: ['legal', 'wait'] }, [fieldRef(note)])).toEqual(['a'])
    // A removed option: "removed" finds it (and only it), its own id still matches.
    expect(f({ [stage]: ['removed'] })).toEqual([])
    must(removeFieldOption(doc, stage, spec))
    expect(f({ [stage]: ['removed'] })).toEqual(['b'])
    expect(f({ [stage]: [spec] })).toEqual(['b'])
    expect(f({ [stage]: [build, 'removed'] })).toEqual(['a', 'b'])
    // `all` with a field reference survives a saved view's parse; a malformed one does not.
    const parsed = parseViewState({
      filter: { fields: {}, custom: { [tags.id]: [ux] }, all: [fieldRef(tags.id), 'field:', 'x'] },
    })
    expect(parsed.filter.all).toEqual([fieldRef(tags.id)])
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
