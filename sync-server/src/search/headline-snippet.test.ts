import { describe, expect, it } from 'vitest'
import { snippetFromHeadline } from './headline-snippet.js'

const marks = { start: '[', end: ']' }

describe('snippetFromHeadline', () => {
  it('puts the stored text, accents and punctuation back under the marks', () => {
    expect(
      snippetFromHeadline('Le café (brûlé)!', 'Le cafe  brule  ', 'Le [cafe]  brule', marks),
    ).toBe('Le [café] (brûlé)!')
    expect(
      snippetFromHeadline('NEAR <b>bold</b>', 'NEAR  b bold  b ', 'NEAR  b [bold]  b ', marks),
    ).toBe('NEAR <b>[bold]</b>')
  })

  it('marks a cut end with … and keeps emoji and other two-unit characters aligned', () => {
    expect(snippetFromHeadline('a 🙂 b c d', 'a   b c d', '  [b] c ', marks)).toBe('…[b] c…')
    expect(snippetFromHeadline('x y', 'x y', 'x [y]', marks)).toBe('x [y]')
  })

  it('gives the headline itself when it is not found in the folded text', () => {
    expect(snippetFromHeadline('abc', 'abc', ' [zzz] ', marks)).toBe('[zzz]')
  })
})
