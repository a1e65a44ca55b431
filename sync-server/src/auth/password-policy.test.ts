import { describe, expect, it } from 'vitest'
import { checkPassword } from './password-policy.js'

const ANN = ['ann.lee@example.org', 'Ann Lee']

describe('password policy', () => {
  it.each([
    ['12345678', 'one of the most common passwords'],
    ['password', 'one of the most common passwords'],
    ['P@ssw0rd123', 'a small variation of a common password'],
    ['iloveyou12', 'a small variation of a common password'],
    ['qwertyuiop', 'one of the most common passwords'],
    ['zxcvbnm,./', 'keyboard patterns'],
    ['aaaaaaaaaaaa', 'repeated characters'],
    ['abcdefghij', 'sequences'],
    ['ann.lee@example.org', 'your name or e-mail address'],
  ])('refuses %j, saying why (%s) and how to pick a better one', (password, why) => {
    const verdict = checkPassword(password, ANN, 3)
    expect(verdict.ok).toBe(false)
    if (verdict.ok) return
    expect(verdict.message).toContain('This password is too easy to guess')
    expect(verdict.message).toContain(why)
    expect(verdict.message).toContain('three or four unrelated words')
  })

  it.each(['correct horse battery', 'world password 1', 'brand new secret', 'Tr0ub4dor&3 staple'])(
    'accepts a passphrase such as %j',
    (password) => {
      expect(checkPassword(password, ANN, 3)).toEqual({ ok: true })
    },
  )

  it('scores a long password by its start, so a weak start is refused however long', () => {
    expect(checkPassword(`${'a'.repeat(64)}Zq8#vLw!2`, ANN, 3).ok).toBe(false)
    expect(checkPassword(`correct horse battery ${'a'.repeat(200)}`, ANN, 3).ok).toBe(true)
  })

  it('accepts anything when the minimum score is 0', () => {
    expect(checkPassword('12345678', ANN, 0)).toEqual({ ok: true })
  })
})
