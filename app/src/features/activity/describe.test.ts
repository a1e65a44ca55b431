import { describe, expect, it } from 'vitest'
import { insertMention, mentionQueryAt } from '../task/mention-text'
import { describeActivity, plainMentions } from './describe'

describe('describeActivity', () => {
  it('describes moves with and without the task title', () => {
    const e = {
      kind: 'task_moved',
      subject: null,
      data: { taskTitle: 'Spec', fromColumnName: 'To do', toColumnName: 'Done' },
    }
    expect(describeActivity(e)).toBe('moved “Spec” from To do to Done')
    expect(describeActivity(e, { withTask: false })).toBe('moved the task from To do to Done')
  })

  it('tells a replaced move from the side of whoever the entry is by', () => {
    const names = (id: string) => ({ ada: 'Ada', bob: 'Bob' })[id] ?? '?'
    const data = {
      taskTitle: 'Spec',
      moverId: 'bob',
      fromColumnName: 'To do',
      toColumnName: 'Review',
      replacedById: 'ada',
      replacedByColumnName: 'Done',
    }
    const e = { kind: 'move_replaced', subject: 'm1', data }
    expect(describeActivity({ ...e, userId: 'bob' }, { withTask: true, nameOf: names })).toBe(
      'moved “Spec” from To do to Review, but Ada’s later move to Done replaced it',
    )
    expect(describeActivity({ ...e, userId: 'ada' }, { withTask: false, nameOf: names })).toBe(
      'replaced Bob’s move of the task to Review with a later move to Done',
    )
  })

  it('names assignees and shows field changes', () => {
    const names = (id: string) => ({ u1: 'Ann' })[id] ?? '?'
    expect(
      describeActivity(
        {
          kind: 'field_changed',
          subject: 'assignees',
          data: { field: 'assignees', added: ['u1'], removed: [] },
        },
        { withTask: false, nameOf: names },
      ),
    ).toBe('assigned Ann')
    expect(
      describeActivity({
        kind: 'field_changed',
        subject: 'priority',
        data: { field: 'priority', from: 'low', to: 'high', taskTitle: 'T' },
      }),
    ).toBe('changed the priority on “T” from low to high')
  })

  it('shows mention tokens as names', () => {
    expect(plainMentions('hi <@u1>!', () => 'Bob')).toBe('hi @Bob!')
  })
})

describe('mentions', () => {
  it('finds the @query before the caret', () => {
    expect(mentionQueryAt('hello @bo', 9)).toEqual({ start: 6, query: 'bo' })
    expect(mentionQueryAt('mail a@b', 8)).toBeNull()
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' })
  })

  it('replaces the query with the token', () => {
    expect(insertMention('hi @bo there', 6, 3, 'u1')).toEqual({
      value: 'hi <@u1>  there',
      caret: 9,
    })
  })
})
