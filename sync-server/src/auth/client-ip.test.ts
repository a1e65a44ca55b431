import { describe, expect, it } from 'vitest'
import { addressBucket } from './client-ip.js'

describe('rate-limit buckets of client addresses', () => {
  it('groups IPv6 addresses by /64, however they are written', () => {
    const bucket = addressBucket('2001:db8:1:2::1')
    expect(bucket).toBe('2001:db8:1:2::/64')
    for (const ip of [
      '2001:DB8:1:2:ffff:ffff:ffff:ffff',
      '2001:0db8:0001:0002:0::9',
      '2001:db8:1:2:3:4:5:6',
    ]) {
      expect(addressBucket(ip)).toBe(bucket)
    }
    expect(addressBucket('2001:db8:1:3::1')).not.toBe(bucket)
    expect(addressBucket('::1')).toBe('0:0:0:0::/64')
    expect(addressBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
  })

  it('keeps IPv4 addresses, including IPv4-mapped IPv6, one bucket each', () => {
    expect(addressBucket('203.0.113.7')).toBe('203.0.113.7')
    expect(addressBucket('::ffff:203.0.113.7')).toBe('203.0.113.7')
    expect(addressBucket('unknown')).toBe('unknown')
  })
})
