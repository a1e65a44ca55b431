import { describe, expect, it } from 'vitest'
import { sha256Chunked, sha256Of } from './sha256'

const webCrypto = async (blob: Blob) =>
  Buffer.from(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer())).toString('hex')

/** Deterministic pseudo-random bytes (no two chunks alike, unlike a fill). */
function bytes(n: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n)
  let x = seed
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

describe('SHA-256 without WebCrypto (plain-http LAN servers)', () => {
  it('matches WebCrypto: empty, short, exactly one chunk, many chunks with a ragged tail', async () => {
    const cases: [Blob, number][] = [
      [new Blob([]), 64],
      [new Blob(['abc']), 64],
      [new Blob([bytes(64)]), 64],
      [new Blob([bytes(1000)]), 64],
      [new Blob([bytes(3 * 1024 * 1024 + 7, 2)]), 1024 * 1024],
    ]
    for (const [blob, chunk] of cases) {
      expect(await sha256Chunked(blob, chunk)).toBe(await webCrypto(blob))
    }
    // The known answers, not only agreement.
    expect(await sha256Chunked(new Blob([]))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    )
    expect(await sha256Chunked(new Blob(['abc']), 1)).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
  })

  it('sha256Of uses the fallback when crypto.subtle is missing, and gives the same digest', async () => {
    const blob = new Blob([bytes(200_000, 3)])
    const expected = await webCrypto(blob)
    expect(await sha256Of(blob, undefined)).toBe(expected)
    expect(await sha256Of(blob, crypto.subtle)).toBe(expected)
  })
})
