// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { INPUT_QUIET_MS, nextIdleSlice, SLICE_MS, whenInputQuiet } from './idle-work'

describe('background work in idle slices after quiet input', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('waits until input has been quiet, then gives a slice of at most SLICE_MS', async () => {
    let hasTime: (() => boolean) | null = null
    let startedAt = 0
    void nextIdleSlice().then((f) => {
      hasTime = f
      startedAt = performance.now()
    })
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }))
    await vi.advanceTimersByTimeAsync(INPUT_QUIET_MS - 10)
    expect(hasTime).toBeNull()
    // A key typed meanwhile pushes the slice back again.
    const lastKey = performance.now()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'b' }))
    await vi.advanceTimersByTimeAsync(INPUT_QUIET_MS - 10)
    expect(hasTime).toBeNull()
    for (let ms = 0; hasTime === null && ms < 100; ms++) await vi.advanceTimersByTimeAsync(1)
    expect(startedAt - lastKey).toBeGreaterThanOrEqual(INPUT_QUIET_MS)
    expect(hasTime!()).toBe(true)
    vi.advanceTimersByTime(SLICE_MS)
    expect(hasTime!()).toBe(false)
  })

  it('runs a quiet-input task once, unless cancelled first', async () => {
    const ran: string[] = []
    whenInputQuiet(() => ran.push('kept'))
    const cancel = whenInputQuiet(() => ran.push('cancelled'))
    window.dispatchEvent(new Event('pointerdown'))
    cancel()
    await vi.advanceTimersByTimeAsync(INPUT_QUIET_MS + 10)
    expect(ran).toEqual(['kept'])
  })
})
