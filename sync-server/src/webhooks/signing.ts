import { createHmac, randomBytes } from 'node:crypto'

const PREFIX = 'whsec_'

/** A new signing secret: `whsec_` + base64 of 24 random bytes (Standard Webhooks). */
export function newSecret(): string {
  return `${PREFIX}${randomBytes(24).toString('base64')}`
}

/**
 * The `v1,<base64>` signature of one message: HMAC-SHA256 keyed with the secret's decoded
 * bytes over `<id>.<timestamp>.<body>` (Standard Webhooks v1).
 */
export function sign(secret: string, msgId: string, timestampSec: number, body: string): string {
  const key = Buffer.from(
    secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret,
    'base64',
  )
  const mac = createHmac('sha256', key).update(`${msgId}.${timestampSec}.${body}`).digest('base64')
  return `v1,${mac}`
}
