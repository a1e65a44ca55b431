import { randomInt } from 'node:crypto'
import type SQLite from 'better-sqlite3'

/**
 * The Yjs client ID each user writes under through the task API, one per (document, user)
 * and reused for every request: a fresh ID per request would add an entry to the document's
 * state vector each time. It is never a browser's ID (those are random per session and
 * could be in use concurrently, which would corrupt the clock sequence), and it is bound
 * to the user in `client_bindings` like any other (SPEC 7), so authorship stays unforgeable.
 */
export interface ApiClientIds {
  get(docName: string, userId: string): number | undefined
  /** Records `clientId` as the user's; durable when it returns. */
  set(docName: string, userId: string, clientId: number, at: number): void
  deleteDocument(docName: string): void
}

/** `api_clients` through prepared statements: synchronous, throws on SQLite errors. */
export class ApiClientStore implements ApiClientIds {
  readonly #select: SQLite.Statement
  readonly #insert: SQLite.Statement
  readonly #delete: SQLite.Statement

  constructor(sqlite: SQLite.Database) {
    this.#select = sqlite.prepare(
      'SELECT client_id FROM api_clients WHERE doc_name = ? AND user_id = ?',
    )
    this.#insert = sqlite.prepare(
      'INSERT INTO api_clients (doc_name, user_id, client_id, created_at) VALUES (?, ?, ?, ?)',
    )
    this.#delete = sqlite.prepare('DELETE FROM api_clients WHERE doc_name = ?')
  }

  get(docName: string, userId: string): number | undefined {
    const row = this.#select.get(docName, userId) as { client_id: number } | undefined
    return row?.client_id
  }

  set(docName: string, userId: string, clientId: number, at: number): void {
    this.#insert.run(docName, userId, clientId, at)
  }

  deleteDocument(docName: string): void {
    this.#delete.run(docName)
  }
}

/** For hubs without a database of their own (unit tests): IDs live as long as the hub. */
export class MemoryApiClientIds implements ApiClientIds {
  readonly #ids = new Map<string, number>()
  get(docName: string, userId: string): number | undefined {
    return this.#ids.get(`${docName}\n${userId}`)
  }
  set(docName: string, userId: string, clientId: number): void {
    this.#ids.set(`${docName}\n${userId}`, clientId)
  }
  deleteDocument(docName: string): void {
    for (const k of [...this.#ids.keys()]) if (k.startsWith(`${docName}\n`)) this.#ids.delete(k)
  }
}

/** A Yjs client ID (Yjs draws uint32s; 31 bits keep it a positive SQLite integer anywhere). */
export function newClientId(): number {
  return randomInt(1, 2 ** 31)
}
