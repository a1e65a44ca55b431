import { describe, expect, it } from 'vitest'
import { MAX_QUERY_WORDS, toMatchExpression, tsQueryText } from './fts-query.js'

describe('toMatchExpression', () => {
  it('quotes every word as a prefix and drops everything that is not a letter, mark or digit', () => {
    expect(toMatchExpression('invoice exp')).toBe('"invoice"* "exp"*')
    expect(toMatchExpression('NEAR(a "b*" OR c:d) -e ^f')).toBe(
      '"NEAR"* "a"* "b"* "OR"* "c"* "d"* "e"* "f"*',
    )
    expect(toMatchExpression('Crème brûlée 42')).toBe('"Crème"* "brûlée"* "42"*')
    expect(toMatchExpression('日本語')).toBe('"日本語"*')
  })

  it('gives null for a query without words, and at most MAX_QUERY_WORDS words', () => {
    for (const q of ['', '   ', '"', '*', '()', '"*"', '\u0002'])
      expect(toMatchExpression(q)).toBeNull()
    const many = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ')
    expect(toMatchExpression(many)!.split(' ')).toHaveLength(MAX_QUERY_WORDS)
  })
})

describe('tsQueryText', () => {
  it('quotes every word as a prefix lexeme, joined by & or |', () => {
    expect(tsQueryText(['invoice', 'exp'], '&')).toBe("'invoice':* & 'exp':*")
    expect(tsQueryText(['Crème', '42'], '|')).toBe("'Crème':* | '42':*")
  })
})
