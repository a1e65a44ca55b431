import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { diffToEdit, rebaseHeld, transformPosition } from './collab-text'

describe('diffToEdit', () => {
  it('finds a single insertion in the middle', () => {
    expect(diffToEdit('hello world', 'hello big world')).toEqual({
      index: 6,
      delete: 0,
      insert: 'big ',
    })
  })
  it('finds a replacement', () => {
    expect(diffToEdit('abcdef', 'abXYef')).toEqual({ index: 2, delete: 2, insert: 'XY' })
  })
  it('is null for no change', () => {
    expect(diffToEdit('same', 'same')).toBeNull()
  })
})

describe('transformPosition', () => {
  function deltaOf(initial: string, change: (t: Y.Text) => void) {
    const doc = new Y.Doc()
    const text = doc.getText('t')
    text.insert(0, initial)
    let delta: Y.YTextEvent['delta'] = []
    text.observe((e) => {
      delta = e.delta
    })
    change(text)
    return delta
  }

  it('moves the caret right when text is inserted before it', () => {
    expect(
      transformPosition(
        5,
        deltaOf('hello world', (t) => t.insert(0, 'Oh, ')),
      ),
    ).toBe(9)
  })
  it('keeps the caret when a teammate types exactly at it', () => {
    expect(
      transformPosition(
        5,
        deltaOf('hello world', (t) => t.insert(5, 'XX')),
      ),
    ).toBe(5)
  })
  it('keeps the caret when text is inserted after it', () => {
    expect(
      transformPosition(
        2,
        deltaOf('hello world', (t) => t.insert(8, 'XX')),
      ),
    ).toBe(2)
  })
  it('moves the caret left when text before it is deleted', () => {
    expect(
      transformPosition(
        8,
        deltaOf('hello world', (t) => t.delete(0, 6)),
      ),
    ).toBe(2)
  })
})

describe('rebaseHeld', () => {
  function change(initial: string, edit: (t: Y.Text) => void) {
    const doc = new Y.Doc()
    const text = doc.getText('t')
    text.insert(0, initial)
    let delta: Y.YTextEvent['delta'] = []
    text.observe((e) => {
      delta = e.delta
    })
    edit(text)
    return { delta, now: text.toString() }
  }

  it("keeps a held paste and a teammate's edit elsewhere in the text", () => {
    const { delta, now } = change('Write docs', (t) => t.insert(0, 'Please '))
    expect(rebaseHeld('Write docs', 'Write docsPASTE', delta, now)).toBe('Please Write docsPASTE')
  })

  it("keeps a teammate's insert at the held insert's spot after the held text", () => {
    const { delta, now } = change('ab', (t) => t.insert(1, 'c'))
    expect(rebaseHeld('ab', 'aXXb', delta, now)).toBe('aXXcb')
  })

  it('is the new document text when nothing is held', () => {
    const { delta, now } = change('ab', (t) => t.insert(2, 'c'))
    expect(rebaseHeld('ab', 'ab', delta, now)).toBe('abc')
  })
})
