import { describe, expect, it } from 'vitest'
import type { DragData } from './drop-target'
import { keyboardTarget } from './keyboard-coordinates'

const card = (columnId: string, index = 0): DragData => ({ type: 'task', columnId, index })
const body = (columnId: string): DragData => ({ type: 'column-body', columnId })
const column = (columnId: string): DragData => ({ type: 'column', columnId })

describe('keyboard drag targets', () => {
  it('moves a card up and down only among the cards of the column it is over', () => {
    const active = card('todo', 2)
    expect(keyboardTarget(active, 'todo', 'within', card('todo', 3))).toBe(true)
    expect(keyboardTarget(active, 'todo', 'within', body('todo'))).toBe(false)
    expect(keyboardTarget(active, 'todo', 'within', card('doing', 3))).toBe(false)
    // Once over another column, up and down follow that column.
    expect(keyboardTarget(active, 'doing', 'within', card('doing', 0))).toBe(true)
  })

  it('moves a card left and right to another column’s cards or empty body, never to a column', () => {
    const active = card('todo', 0)
    expect(keyboardTarget(active, 'todo', 'across', card('doing', 0))).toBe(true)
    expect(keyboardTarget(active, 'todo', 'across', body('done'))).toBe(true)
    expect(keyboardTarget(active, 'todo', 'across', card('todo', 1))).toBe(false)
    expect(keyboardTarget(active, 'todo', 'across', body('todo'))).toBe(false)
    expect(keyboardTarget(active, 'todo', 'across', column('doing'))).toBe(false)
  })

  it('moves a column only among columns', () => {
    const active = column('todo')
    expect(keyboardTarget(active, 'todo', 'across', column('doing'))).toBe(true)
    expect(keyboardTarget(active, 'todo', 'across', card('doing'))).toBe(false)
    expect(keyboardTarget(active, 'todo', 'across', body('doing'))).toBe(false)
  })
})
