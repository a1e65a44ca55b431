import { lookup as dnsLookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import ipaddr from 'ipaddr.js'

/** Every address a host name resolves to (`dns.lookup` with `all`). */
export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>

export const systemLookup: Lookup = (host) => dnsLookup(host, { all: true, verbatim: true })

/**
 * True for a globally routable unicast address. Everything ipaddr.js files under a special
 * range is refused: loopback, private (RFC 1918), unique-local (fc00::/7), link-local (incl.
 * the 169.254.169.254 cloud metadata address), carrier-grade NAT (100.64/10), unspecified,
 * broadcast, multicast, reserved and documentation ranges, and IPv6 forms that embed an
 * IPv4 address (IPv4-mapped addresses are checked as the IPv4 address they carry).
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false
  return ipaddr.process(address).range() === 'unicast'
}

export type Target = { ok: true; address: string; family: 4 | 6 } | { ok: false; reason: string }

/**
 * Where a webhook URL may be sent: resolves its host (all addresses) and refuses it when any
 * address is not public, unless `allowPrivate`. Called when an endpoint is saved and again
 * before every delivery (DNS may have changed since: rebinding); the delivery then connects
 * to the returned address. Never throws.
 */
export async function resolveTarget(
  url: string,
  opts: { allowPrivate: boolean; lookup?: Lookup },
): Promise<Target> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return { ok: false, reason: 'not a valid URL' }
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, reason: 'only http:// and https:// URLs are allowed' }
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1')
  let addresses: { address: string; family: number }[]
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }]
  else {
    try {
      addresses = await (opts.lookup ?? systemLookup)(host)
    } catch {
      return { ok: false, reason: `the host ${host} could not be resolved` }
    }
  }
  if (addresses.length === 0) return { ok: false, reason: `the host ${host} has no address` }
  if (!opts.allowPrivate) {
    const refused = addresses.find((a) => !isPublicAddress(a.address))
    if (refused) {
      return {
        ok: false,
        reason:
          `${host} resolves to ${refused.address}, a loopback, private, link-local or other ` +
          'non-public address (set TASKFLOW_WEBHOOK_ALLOW_PRIVATE=1 to allow internal endpoints)',
      }
    }
  }
  const first = addresses[0]!
  return { ok: true, address: first.address, family: first.family === 6 ? 6 : 4 }
}
