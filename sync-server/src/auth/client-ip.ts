import { isIPv6 } from 'node:net'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'

/**
 * The client address for rate limits. X-Forwarded-For is trusted only when configured
 * (behind a proxy), else anyone could pick their own bucket. `app.request()` in tests has
 * no socket; those requests share one bucket. IPv6 addresses count by their /64 prefix.
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) return addressBucket(forwarded)
  }
  try {
    return addressBucket(getConnInfo(c).remote.address ?? 'unknown')
  } catch {
    return 'unknown'
  }
}

/**
 * One rate-limit bucket per subscriber: an IPv6 address becomes its /64 prefix (one home
 * or server usually holds a whole /64, so counting single addresses would give it 2^64
 * budgets); IPv4-mapped IPv6 becomes the IPv4 address; anything else is kept as it is.
 * @example addressBucket('2001:db8::1') // '2001:db8:0:0::/64'
 */
export function addressBucket(ip: string): string {
  if (!isIPv6(ip)) return ip
  const lower = ip.toLowerCase().replace(/%.*$/, '')
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower)
  if (mapped) return mapped[1]!
  const [head = '', tail] = lower.split('::')
  const groups = (s: string) => (s ? s.split(':') : [])
  const left = groups(head)
  const right = tail === undefined ? [] : groups(tail)
  // An embedded IPv4 tail (e.g. 64:ff9b::1.2.3.4) fills two groups; only the first four matter.
  const size = left.length + right.length + (right.at(-1)?.includes('.') ? 1 : 0)
  const full = [...left, ...Array<string>(Math.max(0, 8 - size)).fill('0'), ...right]
  return `${full
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`
}
