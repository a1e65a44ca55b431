import { createHash, randomBytes } from 'node:crypto'

/**
 * Opaque bearer tokens (sessions, reset links, invitation links). A token is 256 random
 * bits, base64url (43 chars); only its hex SHA-256 is stored and tokens are looked up by
 * that hash, so a database leak yields no usable token and lookup timing reveals nothing.
 */
export const tokens = {
  create(): { token: string; hash: string } {
    const token = randomBytes(32).toString('base64url')
    return { token, hash: tokens.hash(token) }
  },
  hash(token: string): string {
    return createHash('sha256').update(token).digest('hex')
  },
}
