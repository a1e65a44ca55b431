import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Db } from '../db/database.js'
import { TRIGGERS, type Trigger } from './preferences.js'

const SECRET_NAME = 'unsubscribe'

/** What a link stops: e-mail about one trigger, or all notification e-mail (digests). */
export type UnsubscribeScope = Trigger | 'all'
const SCOPES: readonly string[] = [...TRIGGERS, 'all']

export interface UnsubscribeClaim {
  userId: string
  scope: UnsubscribeScope
  /** The user's preferences version when the link was made; any other version is stale. */
  version: number
}

/**
 * Signed "stop e-mailing me about <scope>" tokens for unsubscribe links:
 * base64url(userId.scope.version) + "." + HMAC-SHA256. A token stays verifiable forever,
 * but the service honours it only while the user's preferences version is still the one
 * it names, so any later preference change or unsubscribe retires every older link. The
 * key is generated once and kept in the database: no setting to manage, stable across
 * restarts.
 */
export class UnsubscribeTokens {
  #key: Promise<Buffer> | undefined

  constructor(private readonly db: Db) {}

  #secret(): Promise<Buffer> {
    this.#key ??= (async () => {
      await this.db
        .insertInto('server_secrets')
        .values({ name: SECRET_NAME, secret: randomBytes(32) })
        .onConflict((oc) => oc.doNothing())
        .execute()
      const row = await this.db
        .selectFrom('server_secrets')
        .select('secret')
        .where('name', '=', SECRET_NAME)
        .executeTakeFirstOrThrow()
      return Buffer.from(row.secret)
    })()
    return this.#key
  }

  async create(claim: UnsubscribeClaim): Promise<string> {
    const payload = Buffer.from(`${claim.userId}.${claim.scope}.${claim.version}`).toString(
      'base64url',
    )
    return `${payload}.${this.#mac(await this.#secret(), payload)}`
  }

  /** What a token claims, or null if it is not one of ours (or from before versions). */
  async verify(token: string): Promise<UnsubscribeClaim | null> {
    const [payload, mac, extra] = token.split('.')
    if (!payload || !mac || extra !== undefined) return null
    const want = Buffer.from(this.#mac(await this.#secret(), payload))
    const got = Buffer.from(mac)
    if (want.length !== got.length || !timingSafeEqual(want, got)) return null
    const [userId, scope, version, more] = Buffer.from(payload, 'base64url').toString().split('.')
    if (!userId || !SCOPES.includes(scope ?? '') || more !== undefined) return null
    if (!/^(0|[1-9][0-9]{0,14})$/.test(version ?? '')) return null
    return { userId, scope: scope as UnsubscribeScope, version: Number(version) }
  }

  #mac(key: Buffer, payload: string): string {
    return createHmac('sha256', key).update(payload).digest('base64url')
  }
}
