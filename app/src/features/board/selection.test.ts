import { describe, expect, it } from 'vitest'
import {
  EMPTY_SELECTION,
  moveFocus,
  rangeBetween,
  selectRange,
  targetsOf,
  toggle,
} from './selection'

const order = ['a', 'b', 'c', 'd', 'e']
const sorted = (s: ReadonlySet<string>) => [...s].sort()

describe('selection', () => {
  it('rangeBetween goes either way and falls back to the one id', () => {
    expect(rangeBetween(order, 'b', 'd')).toEqual(['b', 'c', 'd'])
    expect(rangeBetween(order, 'd', 'b')).toEqual(['b', 'c', 'd'])
    expect(rangeBetween(order, 'gone', 'c')).toEqual(['c'])
    expect(rangeBetween(order, 'a', 'gone')).toEqual([])
  })

  it('x toggles and anchors; Shift-click selects from the anchor, keeping earlier picks', () => {
    let s = toggle(EMPTY_SELECTION, 'a')
    s = toggle(s, 'c')
    s = selectRange(s, order, 'e')
    expect(sorted(s.selected)).toEqual(['a', 'c', 'd', 'e'])
    expect(s.focusedId).toBe('e')
    s = toggle(s, 'c')
    expect(sorted(s.selected)).toEqual(['a', 'd', 'e'])
  })

  it('Shift+j/k grows and shrinks the range from the anchor', () => {
    let s = moveFocus(EMPTY_SELECTION, order, 1) // focus a
    s = moveFocus(s, order, 1) // b
    s = moveFocus(s, order, 1, true)
    s = moveFocus(s, order, 1, true)
    expect(sorted(s.selected)).toEqual(['b', 'c', 'd'])
    s = moveFocus(s, order, -1, true)
    expect(sorted(s.selected)).toEqual(['b', 'c'])
    s = moveFocus(s, order, -1, true)
    s = moveFocus(s, order, -1, true)
    expect(sorted(s.selected)).toEqual(['a', 'b'])
    expect(s.focusedId).toBe('a')
  })

  it('j/k stop at the ends and do not select', () => {
    let s = moveFocus(EMPTY_SELECTION, order, -1)
    expect(s.focusedId).toBe('e')
    s = moveFocus(s, order, 1)
    expect(s.focusedId).toBe('e')
    expect(s.selected.size).toBe(0)
  })

  it('actions apply to the selection, else to the focused task', () => {
    expect(targetsOf(EMPTY_SELECTION)).toEqual([])
    expect(targetsOf({ ...EMPTY_SELECTION, focusedId: 'b' })).toEqual(['b'])
    expect(targetsOf({ focusedId: 'b', selected: new Set(['c', 'd']), anchorId: 'c' })).toEqual([
      'c',
      'd',
    ])
  })
})
