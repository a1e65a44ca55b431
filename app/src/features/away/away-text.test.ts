import { describe, expect, it } from 'vitest'
import type { AwayTask } from '../../api/away.api'
import { createDateFormat } from '../../ui/dates'
import { describeAwayTask, people } from './away-text'

const nameOf = (id: string) => ({ ada: 'Ada', bob: 'Bob', cat: 'Cat', u1: 'Uma' })[id] ?? '?'
const at = '2026-12-04T10:00:00.000Z'

describe('while-you-were-away text', () => {
  it('names the task once, then says "it", with who made each change', () => {
    const t: AwayTask = {
      taskId: 't1',
      title: 'Write copy',
      lastAt: at,
      userIds: ['ada', 'bob', 'cat'],
      changes: [
        {
          kind: 'moved',
          userIds: ['ada'],
          at,
          fromColumnName: 'To do',
          toColumnName: 'Review',
        },
        { kind: 'field', field: 'title', userIds: ['bob'], at, from: 'Copy', to: 'Write copy' },
        { kind: 'comments', userIds: ['cat', 'bob'], at, count: 3 },
      ],
    }
    expect(describeAwayTask(t, { nameOf })).toBe(
      'Ada moved “Write copy” from To do to Review; Bob renamed it (was “Copy”); 3 new comments from Cat and Bob',
    )
  })

  it('tells every kind of change, first and later', () => {
    const dates = createDateFormat({ locale: 'en-GB', timeZone: 'UTC' })
    const t: AwayTask = {
      taskId: 't1',
      title: '',
      lastAt: at,
      userIds: ['ada'],
      changes: [
        { kind: 'created', userIds: [], at },
        { kind: 'field', field: 'dueDate', userIds: ['ada'], at, from: null, to: '2026-12-09' },
        { kind: 'field', field: 'priority', userIds: ['ada'], at, from: 'none', to: 'high' },
        { kind: 'field', field: 'description', userIds: ['ada'], at },
        { kind: 'field', field: 'assignees', userIds: ['ada'], at, added: ['u1'], removed: [] },
        {
          kind: 'field',
          field: 'labels',
          userIds: ['ada'],
          at,
          added: ['l1'],
          removed: ['l2'],
          names: { l1: 'Bug' },
        },
        { kind: 'checklist', userIds: ['ada'], at, count: 2, uncheckedCount: 1 },
        { kind: 'deleted', userIds: ['bob'], at },
      ],
    }
    expect(describeAwayTask(t, { nameOf, dates, labelName: () => undefined }).split('; ')).toEqual([
      'Someone created “Untitled”',
      `Ada changed its due date from none to ${dates.day('2026-12-09')}`,
      'Ada changed its priority from none to high',
      'Ada edited its description',
      'Ada assigned Uma',
      'Ada added Bug and removed a deleted label',
      'Ada checked 2 checklist items and unchecked 1 checklist item',
      'Bob moved it to the trash',
    ])
  })

  it('joins names the way a person would', () => {
    expect(people([], nameOf)).toBe('Someone')
    expect(people(['ada', 'bob', 'cat'], nameOf)).toBe('Ada, Bob and Cat')
  })
})
