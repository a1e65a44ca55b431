import { describe, expect, it } from 'vitest'
import { RETRY_DELAYS_MS, retryDelay } from './delivery-worker.js'
import { isPublicAddress } from './ssrf.js'

describe('retry schedule', () => {
  it('spreads 15 tries over about three days, each wait jittered by at most 20 %', () => {
    expect(RETRY_DELAYS_MS).toHaveLength(14)
    const total = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0)
    expect(total / 86_400_000).toBeGreaterThan(2.9)
    expect(total / 86_400_000).toBeLessThan(3.3)
    expect(retryDelay(1, () => 0)).toBe(4_000)
    expect(retryDelay(1, () => 1)).toBe(6_000)
    expect(retryDelay(14, () => 0.5)).toBe(12 * 3_600_000)
    expect(retryDelay(15)).toBeNull()
  })
})

describe('public address check', () => {
  it.each([
    ['93.184.216.34', true],
    ['2606:4700:4700::1111', true],
    ['127.0.0.1', false],
    ['127.8.9.10', false],
    ['::1', false],
    ['10.2.3.4', false],
    ['172.31.255.255', false],
    ['192.168.0.10', false],
    ['169.254.169.254', false],
    ['100.100.100.200', false],
    ['0.0.0.0', false],
    ['::', false],
    ['224.0.0.251', false],
    ['ff02::1', false],
    ['fd12:3456::1', false],
    ['fe80::1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:93.184.216.34', true],
    ['not an address', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected)
  })
})
