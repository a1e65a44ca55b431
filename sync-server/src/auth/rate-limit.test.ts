import { describe, expect, it } from 'vitest'
import { createRateLimiter, hitAll } from './rate-limit.js'

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

  it('hitAll counts on every limiter or on none, and waits for the slowest', () => {
    let t = 0
    const perUser = createRateLimiter({ limit: 2, windowMs: 1_000, now: () => t })
    const perProject = createRateLimiter({ limit: 1, windowMs: 5_000, now: () => t })
    expect(hitAll([perUser, 'u'], [perProject, 'p'])).toEqual({ ok: true })
    expect(hitAll([perUser, 'u'], [perProject, 'p'])).toEqual({ ok: false, retryAfterMs: 5_000 })
    // The refused call did not use up the user's second hit.
    expect(hitAll([perUser, 'u'], [perProject, 'other'])).toEqual({ ok: true })
    expect(perUser.peek('u').ok).toBe(false)
    t = 1_000
    expect(hitAll([perUser, 'u'], [perProject, 'p'])).toEqual({ ok: false, retryAfterMs: 4_000 })
  })
})
