import type { TaskSummary } from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import { planDrop, unfilteredIndex } from './drop-target'

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

describe('drops on a filtered column', () => {
  const t = (id: string) => ({ id }) as TaskSummary
  const col = (tasks: string[]) => ({ columns: [{ id: 'c', tasks: tasks.map(t) }] }) as never
  // All tasks a..e; the filter shows b and d.
  const full = col(['a', 'b', 'c', 'd', 'e'])
  const shown = col(['b', 'd'])

  it('lands just before the visible task it was dropped on, among all the tasks', () => {
    expect(unfilteredIndex(shown, full, 'x', 'c', 0)).toBe(1)
    expect(unfilteredIndex(shown, full, 'x', 'c', 1)).toBe(3)
  })
  it('after the last visible task when dropped below it, not at the very end', () => {
    expect(unfilteredIndex(shown, full, 'x', 'c', 2)).toBe(4)
  })
  it('ignores the dragged task itself in both lists (a move within the column)', () => {
    // Drag b below d: d is at 2 among a, c, d, e.
    expect(unfilteredIndex(shown, full, 'b', 'c', 1)).toBe(3)
  })
  it('keeps "last" as last', () => {
    expect(unfilteredIndex(shown, full, 'x', 'c', undefined)).toBeUndefined()
  })
})
