import type SQLite from 'better-sqlite3'
import * as Y from 'yjs'

/**
 * Unforgeable authorship (SPEC 7): each Yjs client ID of a document is bound to the user
 * whose connection first sent structs with it, and nobody else may add structs under it.
 * So "who wrote this item" is the binding of its ID's client, never a field a client sets.
 */

/** `client_bindings` through prepared statements: synchronous, throws on SQLite errors. */
export class ClientBindingStore {
  readonly #select: SQLite.Statement
  readonly #insert: SQLite.Statement
  readonly #delete: SQLite.Statement

  constructor(sqlite: SQLite.Database) {
    this.#select = sqlite.prepare(
      'SELECT client_id, user_id FROM client_bindings WHERE doc_name = ?',
    )
    // OR IGNORE: a binding is never moved to another user once written.
    this.#insert = sqlite.prepare(
      'INSERT OR IGNORE INTO client_bindings (doc_name, client_id, user_id, created_at) VALUES (?, ?, ?, ?)',
    )
    this.#delete = sqlite.prepare('DELETE FROM client_bindings WHERE doc_name = ?')
  }

  load(docName: string): Map<number, string> {
    const rows = this.#select.all(docName) as { client_id: number; user_id: string }[]
    return new Map(rows.map((r) => [r.client_id, r.user_id]))
  }

  /** Autocommits (WAL): durable when it returns, so before the update that made it is relayed. */
  insert(docName: string, clientId: number, userId: string, at: number): void {
    this.#insert.run(docName, clientId, userId, at)
  }

  deleteDocument(docName: string): void {
    this.#delete.run(docName)
  }
}

/** Client IDs an accepted update adds structs under for the first time (to bind to its sender). */
export type AuthorshipCheck = { ok: true; claims: number[] } | { ok: false; reason: string }

const NO_CLAIMS: AuthorshipCheck = { ok: true, claims: [] }

/** One room's bindings, loaded with the room and kept in memory while it is open. */
export class RoomAuthorship {
  constructor(
    private readonly store: ClientBindingStore,
    private readonly docName: string,
    private readonly bindings: Map<number, string> = store.load(docName),
  ) {}

  /**
   * Call before applying `update` to `doc`. An update adds structs under a client only where
   * its end clock passes the doc's state for that client; repeating known structs (a client
   * resending others' edits after a reconnect) is always fine. Reads the update's struct
   * ranges only (`Y.parseUpdateMeta`), never the document. Throws on a malformed update.
   */
  check(doc: Y.Doc, update: Uint8Array, userId: string): AuthorshipCheck {
    const { to } = Y.parseUpdateMeta(update)
    let claims: number[] | null = null
    for (const [client, end] of to) {
      if (end <= Y.getState(doc.store, client)) continue
      const owner = this.bindings.get(client)
      if (owner === userId) continue
      if (owner !== undefined) {
        return { ok: false, reason: `client id ${client} belongs to another user` }
      }
      if (claims) claims.push(client)
      else claims = [client]
    }
    return claims ? { ok: true, claims } : NO_CLAIMS
  }

  /**
   * Binds `claims` to `userId`, durably, once the update that made them was integrated and
   * before it is queued for relay. Throws when SQLite fails (nothing is bound in memory then).
   */
  bind(claims: readonly number[], userId: string, at: number): void {
    for (const client of claims) {
      if (this.bindings.has(client)) continue
      this.store.insert(this.docName, client, userId, at)
      this.bindings.set(client, userId)
    }
  }
}
