import { describe, expect, it } from 'vitest'
import { createLoginThrottle, type LoginThrottleOptions } from './login-throttle.js'

const MIN = 60_000

function throttle(over: Partial<LoginThrottleOptions> = {}) {
  let t = 0
  const th = createLoginThrottle({
    freeFailures: 3,
    baseDelayMs: 10_000,
    maxDelayMs: 60_000,
    accountCeiling: 5,
    accountWindowMs: 15 * MIN,
    forgetAfterMs: 24 * 60 * MIN,
    now: () => t,
    ...over,
  })
  return { th, advance: (ms: number) => (t += ms) }
}

const failTimes = (
  th: ReturnType<typeof throttle>['th'],
  n: number,
  account = 'a',
  address = 'x',
) => {
  for (let i = 0; i < n; i++) th.failed(account, address)
}

describe('login throttle', () => {
  it('caps the doubling wait at maxDelayMs', () => {
    const { th, advance } = throttle({ accountCeiling: 1_000 })
    const waits: number[] = []
    for (let i = 0; i < 8; i++) {
      th.failed('a', 'x')
      const r = th.check('a', 'x')
      waits.push(r.ok ? 0 : r.retryAfterMs)
      advance(r.ok ? 0 : r.retryAfterMs)
    }
    expect(waits).toEqual([0, 0, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000])
  })

  it('forgets an address a day after its last failure', () => {
    const { th, advance } = throttle()
    failTimes(th, 10)
    expect(th.check('a', 'x').ok).toBe(false)
    advance(24 * 60 * MIN)
    expect(th.check('a', 'x')).toEqual({ ok: true })
    th.failed('a', 'x')
    expect(th.check('a', 'x')).toEqual({ ok: true })
  })

  it('ends the under-attack state once the window holds fewer failures than the ceiling', () => {
    const { th, advance } = throttle()
    for (let i = 0; i < 5; i++) th.failed('a', `bot${i}`)
    th.failed('a', 'owner')
    expect(th.check('a', 'owner')).toEqual({ ok: false, retryAfterMs: 10_000 })
    expect(th.check('a', 'fresh')).toEqual({ ok: true })
    advance(15 * MIN)
    // One failure, under the normal three free ones: no wait any more.
    expect(th.check('a', 'owner')).toEqual({ ok: true })
    // Other accounts never were under attack.
    th.failed('b', 'owner')
    expect(th.check('b', 'owner')).toEqual({ ok: true })
  })

  it('keeps at most maxEntries addresses, forgetting the least recently failed', () => {
    const { th } = throttle({ maxEntries: 2, accountCeiling: 1_000 })
    failTimes(th, 3, 'a', 'x')
    failTimes(th, 3, 'a', 'y')
    failTimes(th, 3, 'a', 'z')
    expect(th.check('a', 'x')).toEqual({ ok: true })
    expect(th.check('a', 'y').ok).toBe(false)
    expect(th.check('a', 'z').ok).toBe(false)
  })
})
