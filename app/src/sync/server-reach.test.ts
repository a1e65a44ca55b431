import { describe, expect, it } from 'vitest'
import { createServerReach, SERVER_UNREACHABLE_AFTER_MS, type Timers } from './server-reach'

/** Timers driven by hand: `advance(ms)` runs what falls due, in order. */
function manualTimers() {
  let now = 0
  let nextId = 1
  const pending = new Map<number, { at: number; fn: () => void }>()
  const timers: Timers = {
    setTimeout(fn, ms) {
      const id = nextId++
      pending.set(id, { at: now + ms, fn })
      return id
    },
    clearTimeout(handle) {
      pending.delete(handle as number)
    },
  }
  function advance(ms: number): void {
    const until = now + ms
    for (;;) {
      const due = [...pending].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)
      const first = due[0]
      if (!first) break
      pending.delete(first[0])
      now = first[1].at
      first[1].fn()
    }
    now = until
  }
  return { timers, advance, pending: () => pending.size }
}

function setup() {
  const clock = manualTimers()
  const changes: boolean[] = []
  const reach = createServerReach({
    onChange: () => changes.push(reach.unreachable),
    timers: clock.timers,
  })
  return { clock, changes, reach }
}

describe('server reach', () => {
  it('reports the server unreachable once attempts have failed for the whole threshold', () => {
    const { clock, changes, reach } = setup()
    reach.trying()
    clock.advance(1_000)
    reach.trying() // a failed attempt; the clock keeps running from the first one
    clock.advance(SERVER_UNREACHABLE_AFTER_MS - 1_001)
    expect(reach.unreachable).toBe(false)
    clock.advance(1)
    expect(reach.unreachable).toBe(true)
    expect(changes).toEqual([true])
  })

  it('never reports an outage the server answered within the threshold', () => {
    const { clock, changes, reach } = setup()
    reach.trying()
    clock.advance(SERVER_UNREACHABLE_AFTER_MS - 1)
    reach.reached()
    clock.advance(10 * SERVER_UNREACHABLE_AFTER_MS)
    expect(reach.unreachable).toBe(false)
    expect(changes).toEqual([])
    expect(clock.pending()).toBe(0)
  })

  it('is reachable again when the server answers, and a later outage waits the full threshold', () => {
    const { clock, changes, reach } = setup()
    reach.trying()
    clock.advance(SERVER_UNREACHABLE_AFTER_MS)
    reach.reached()
    expect(reach.unreachable).toBe(false)
    reach.trying()
    clock.advance(SERVER_UNREACHABLE_AFTER_MS - 1)
    expect(reach.unreachable).toBe(false)
    clock.advance(1)
    expect(changes).toEqual([true, false, true])
  })

  it('reports no outage once we stop trying, and starts a new clock when we try again', () => {
    const { clock, reach } = setup()
    reach.trying()
    clock.advance(SERVER_UNREACHABLE_AFTER_MS)
    reach.stopped()
    expect(reach.unreachable).toBe(false)
    reach.trying()
    clock.advance(SERVER_UNREACHABLE_AFTER_MS - 1)
    expect(reach.unreachable).toBe(false)
  })

  it('takes its threshold from the caller', () => {
    const clock = manualTimers()
    const reach = createServerReach({ onChange: () => {}, afterMs: 50, timers: clock.timers })
    reach.trying()
    clock.advance(50)
    expect(reach.unreachable).toBe(true)
  })
})
