import { describe, expect, it } from 'vitest'
import { createRateLimiter } from './rate-limit.js'

describe('sliding-window rate limiter', () => {
  it('allows `limit` hits per window and says when the oldest one expires', () => {
    let t = 1_000
    const rl = createRateLimiter({ limit: 3, windowMs: 60_000, now: () => t })
    expect(rl.hit('a')).toEqual({ ok: true })
    t += 10_000
    expect(rl.hit('a')).toEqual({ ok: true })
    expect(rl.hit('a')).toEqual({ ok: true })
    expect(rl.hit('a')).toEqual({ ok: false, retryAfterMs: 50_000 })
    expect(rl.hit('b')).toEqual({ ok: true })
    t += 50_000
    expect(rl.hit('a')).toEqual({ ok: true })
    expect(rl.hit('a')).toEqual({ ok: false, retryAfterMs: 10_000 })
  })

  it('does not count refused hits, and peek never counts', () => {
    let t = 0
    const rl = createRateLimiter({ limit: 1, windowMs: 1_000, now: () => t })
    expect(rl.peek('a')).toEqual({ ok: true })
    rl.hit('a')
    for (let i = 0; i < 5; i++) rl.hit('a')
    t = 1_000
    expect(rl.peek('a')).toEqual({ ok: true })
  })

  it('forgets a cleared key', () => {
    const rl = createRateLimiter({ limit: 1, windowMs: 1_000, now: () => 0 })
    rl.hit('a')
    expect(rl.hit('a').ok).toBe(false)
    rl.clear('a')
    expect(rl.hit('a').ok).toBe(true)
  })
})
