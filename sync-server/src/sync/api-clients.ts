import { randomInt } from 'node:crypto'
import type { Db } from '../db/database.js'

/**
 * The Yjs client ID each user writes under through the task API, one per (document, user)
 * and reused for every request: a fresh ID per request would add an entry to the document's
 * state vector each time. It is never a browser's ID (those are random per session and
 * could be in use concurrently, which would corrupt the clock sequence), and it is bound
 * to the user in `client_bindings` like any other (SPEC 7), so authorship stays unforgeable.
 */
export interface ApiClientIds {
  get(docName: string, userId: string): Promise<number | undefined>
  /** Records `clientId` as the user's; durable when it resolves. */
  set(docName: string, userId: string, clientId: number, at: number): Promise<void>
  deleteDocument(docName: string): Promise<void>
}

/** `api_clients` through Kysely (either dialect). */
export class ApiClientStore implements ApiClientIds {
  constructor(private readonly db: Db) {}

  async get(docName: string, userId: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('api_clients')
      .select('client_id')
      .where('doc_name', '=', docName)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return row?.client_id
  }

  async set(docName: string, userId: string, clientId: number, at: number): Promise<void> {
    await this.db
      .insertInto('api_clients')
      .values({ doc_name: docName, user_id: userId, client_id: clientId, created_at: at })
      .execute()
  }

  async deleteDocument(docName: string): Promise<void> {
    await this.db.deleteFrom('api_clients').where('doc_name', '=', docName).execute()
  }
}

/** For hubs without a database of their own (unit tests): IDs live as long as the hub. */
export class MemoryApiClientIds implements ApiClientIds {
  readonly #ids = new Map<string, number>()
  async get(docName: string, userId: string): Promise<number | undefined> {
    return this.#ids.get(`${docName}\n${userId}`)
  }
  async set(docName: string, userId: string, clientId: number): Promise<void> {
    this.#ids.set(`${docName}\n${userId}`, clientId)
  }
  async deleteDocument(docName: string): Promise<void> {
    for (const k of [...this.#ids.keys()]) if (k.startsWith(`${docName}\n`)) this.#ids.delete(k)
  }
}

/** A Yjs client ID (Yjs draws uint32s; 31 bits keep it a positive SQLite integer anywhere). */
export function newClientId(): number {
  return randomInt(1, 2 ** 31)
}
