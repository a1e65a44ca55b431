import { describe, expect, it } from 'vitest'
import { lengthCounter, refusalText, tooLongNote } from './length-limit'

describe('lengthCounter', () => {
  it('shows nothing while the text is well under the limit', () => {
    expect(lengthCounter(0, 500)).toBeNull()
    expect(lengthCounter(449, 500)).toBeNull()
  })

  it('shows length/limit from 90% of the limit on, and beyond it', () => {
    expect(lengthCounter(450, 500)).toBe('450/500')
    expect(lengthCounter(480, 500)).toBe('480/500')
    expect(lengthCounter(501, 500)).toBe('501/500')
    expect(lengthCounter(10_000, 200)).toBe('10000/200')
  })

  it('rounds the threshold up for small limits', () => {
    expect(lengthCounter(44, 50)).toBeNull()
    expect(lengthCounter(45, 50)).toBe('45/50')
  })
})

describe('tooLongNote', () => {
  it('says nothing at or under the limit', () => {
    expect(tooLongNote('Title', 500, 500)).toBeNull()
  })

  it('names the field, the length and the limit once over', () => {
    expect(tooLongNote('Task title', 501, 500)).toBe(
      'Task title is too long: 501 characters, at most 500.',
    )
  })
})

describe('refusalText', () => {
  it("turns a board operation's message into a sentence", () => {
    expect(refusalText('title must be at most 500 characters')).toBe(
      'Title must be at most 500 characters.',
    )
    expect(refusalText('Already a sentence.')).toBe('Already a sentence.')
  })
})
