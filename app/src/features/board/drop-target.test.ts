import { describe, expect, it } from 'vitest'
import { planDrop } from './drop-target'

const indexOf = (id: string) => ['a', 'b', 'c'].indexOf(id)

describe('planDrop', () => {
  it('moves a task onto another card of another column to that card’s position', () => {
    expect(
      planDrop(
        't1',
        { type: 'task', columnId: 'a', index: 0 },
        { type: 'task', columnId: 'b', index: 2 },
        indexOf,
      ),
    ).toEqual({ kind: 'task', taskId: 't1', columnId: 'b', index: 2 })
  })

  it('places a task after the hovered card of another column when dropped on its lower half', () => {
    expect(
      planDrop(
        't1',
        { type: 'task', columnId: 'a', index: 0 },
        { type: 'task', columnId: 'b', index: 2 },
        indexOf,
        true,
      ),
    ).toEqual({ kind: 'task', taskId: 't1', columnId: 'b', index: 3 })
  })

  it('appends a task dropped on the empty area of another column', () => {
    expect(
      planDrop(
        't1',
        { type: 'task', columnId: 'a', index: 0 },
        { type: 'column-body', columnId: 'c' },
        indexOf,
      ),
    ).toEqual({ kind: 'task', taskId: 't1', columnId: 'c', index: undefined })
  })

  it('does nothing when a task is dropped where it already is', () => {
    expect(
      planDrop(
        't1',
        { type: 'task', columnId: 'a', index: 1 },
        { type: 'task', columnId: 'a', index: 1 },
        indexOf,
      ),
    ).toBeNull()
    expect(
      planDrop(
        't1',
        { type: 'task', columnId: 'a', index: 1 },
        { type: 'column-body', columnId: 'a' },
        indexOf,
      ),
    ).toBeNull()
  })

  it('reorders columns to the hovered column’s position', () => {
    expect(
      planDrop(
        'column:a',
        { type: 'column', columnId: 'a' },
        { type: 'column', columnId: 'c' },
        indexOf,
      ),
    ).toEqual({ kind: 'column', columnId: 'a', index: 2 })
  })
})
