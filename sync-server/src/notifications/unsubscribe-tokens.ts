import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Db } from '../db/database.js'
import { TRIGGERS, type Trigger } from './preferences.js'

const SECRET_NAME = 'unsubscribe'

/**
 * Signed, non-expiring "stop e-mailing me about <trigger>" tokens for one-click links:
 * base64url(userId.trigger) + "." + HMAC-SHA256. The key is generated once and kept in the
 * database, so links keep working across restarts without another setting to manage.
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

  async create(userId: string, trigger: Trigger): Promise<string> {
    const payload = Buffer.from(`${userId}.${trigger}`).toString('base64url')
    return `${payload}.${this.#mac(await this.#secret(), payload)}`
  }

  /** The user and trigger a token names, or null if it is not one of ours. */
  async verify(token: string): Promise<{ userId: string; trigger: Trigger } | null> {
    const [payload, mac] = token.split('.')
    if (!payload || !mac) return null
    const want = Buffer.from(this.#mac(await this.#secret(), payload))
    const got = Buffer.from(mac)
    if (want.length !== got.length || !timingSafeEqual(want, got)) return null
    const [userId, trigger] = Buffer.from(payload, 'base64url').toString().split('.')
    if (!userId || !(TRIGGERS as readonly string[]).includes(trigger ?? '')) return null
    return { userId, trigger: trigger as Trigger }
  }

  #mac(key: Buffer, payload: string): string {
    return createHmac('sha256', key).update(payload).digest('base64url')
  }
}
