import { describe, expect, it } from 'vitest'
import { createDateFormat } from '../../ui/dates'
import { insertMention, mentionQueryAt } from '../task/mention-text'
import { commentExcerpt, describeActivity, plainMentions } from './describe'

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

  it('names the labels added and removed, as they were called then, else as the board has them', () => {
    const labels = (id: string) => ({ l2: 'UI', l3: 'Later' })[id]
    const entry = (data: Record<string, unknown>) => ({
      kind: 'field_changed',
      subject: 'labels',
      data: { field: 'labels', taskTitle: 'T', ...data },
    })
    expect(
      describeActivity(entry({ added: ['l1'], removed: [], names: { l1: 'Bug' } }), {
        withTask: true,
        labelName: labels,
      }),
    ).toBe('added label Bug on “T”')
    // An entry written before entries carried names: the board names what still exists.
    expect(
      describeActivity(entry({ added: ['l2', 'l3'], removed: ['gone'] }), {
        withTask: false,
        labelName: labels,
      }),
    ).toBe('added labels UI, Later and removed 1 deleted label')
    // The name in the entry wins over a later rename on the board.
    expect(
      describeActivity(entry({ added: [], removed: ['l2'], names: { l2: 'Design' } }), {
        withTask: false,
        labelName: labels,
      }),
    ).toBe('removed label Design')
  })

  it('shows due and start dates in the app’s date format, not as YYYY-MM-DD', () => {
    const dates = createDateFormat({ locale: 'en-GB' })
    expect(
      describeActivity(
        {
          kind: 'field_changed',
          subject: 'dueDate',
          data: { field: 'dueDate', from: null, to: '2030-01-15' },
        },
        { withTask: false, dates },
      ),
    ).toBe('changed the due date from none to 15 Jan 2030')
  })

  it('leaves a comment’s text out of the sentence, for the markdown renderer', () => {
    const e = { kind: 'comment_added', subject: 'c1', data: { taskTitle: 'T', excerpt: '**hi**' } }
    expect(describeActivity(e)).toBe('commented on “T”')
    expect(commentExcerpt(e)).toBe('**hi**')
    expect(commentExcerpt({ kind: 'task_moved', data: {} })).toBeNull()
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
