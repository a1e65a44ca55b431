import { beforeEach, describe, expect, it, vi } from 'vitest'

// Counts the argon2 checks actually run: the observable that timing depends on, without
// timing anything (tests must not depend on the machine's speed).
const argon2 = vi.hoisted(() => ({ verifyCalls: [] as string[] }))
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>()
  return {
    ...real,
    verify: (stored: string, password: string) => {
      argon2.verifyCalls.push(stored)
      return real.verify(stored, password)
    },
  }
})

const { hashPassword, verifyPassword } = await import('./password.js')

describe('verifyPassword', () => {
  beforeEach(() => {
    argon2.verifyCalls.length = 0
  })

  it('accepts the right password and refuses a wrong one, one argon2 check each', async () => {
    const stored = await hashPassword('correct horse battery')
    expect(await verifyPassword(stored, 'correct horse battery')).toBe(true)
    expect(await verifyPassword(stored, 'wrong')).toBe(false)
    expect(argon2.verifyCalls).toEqual([stored, stored])
  })

  it('spends a real argon2 check on an account without a password (single sign-on)', async () => {
    expect(await verifyPassword('!sso', 'anything')).toBe(false)
    expect(argon2.verifyCalls).toHaveLength(1)
    expect(argon2.verifyCalls[0]).toMatch(/^\$argon2id\$/)
  })
})
