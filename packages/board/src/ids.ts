const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz'

/**
 * A random 16-character id (~82 bits). Uses `crypto.getRandomValues`, which, unlike
 * `crypto.randomUUID`, also exists on pages served over plain http on a LAN.
 * @example newId() // 'k3v9x0q2m1z8a7b4'
 */
export function newId(): string {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  let id = ''
  for (const b of bytes) id += ALPHABET[b % 36]
  return id
}
