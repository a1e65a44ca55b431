import type SQLite from 'better-sqlite3'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'

/**
 * Unforgeable authorship (SPEC 7): each Yjs client ID of a document is bound to the user
 * whose write connection first sent structs or a presence state with it, and nobody else
 * may add structs under it.
 * So "who wrote this item" is the binding of its ID's client, never a field a client sets.
 */

/** `client_bindings` through prepared statements: synchronous, throws on SQLite errors. */
/**
 * The client ID was bound to another user meanwhile (by another node: this node's bindings
 * are loaded with the room). The update or presence that claimed it is refused with 4403.
 */
export class ClientIdTakenError extends Error {
  constructor(readonly clientId: number) {
    super(`client id ${clientId} belongs to another user`)
  }
}

export class ClientBindingStore {
  readonly #select: SQLite.Statement
  readonly #owner: SQLite.Statement
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
    this.#owner = sqlite.prepare(
      'SELECT user_id FROM client_bindings WHERE doc_name = ? AND client_id = ?',
    )
  }

  load(docName: string): Map<number, string> {
    const rows = this.#select.all(docName) as { client_id: number; user_id: string }[]
    return new Map(rows.map((r) => [r.client_id, r.user_id]))
  }

  /**
   * Autocommits (WAL): durable when it returns, so before the update that made it is relayed.
   * Returns the user the id is bound to: `userId`, or whoever bound it first (the primary
   * key decides between nodes binding one id at once).
   */
  insert(docName: string, clientId: number, userId: string, at: number): string {
    if (this.#insert.run(docName, clientId, userId, at).changes === 1) return userId
    return (
      (this.#owner.get(docName, clientId) as { user_id: string } | undefined)?.user_id ?? userId
    )
  }

  deleteDocument(docName: string): void {
    this.#delete.run(docName)
  }
}

/** Client IDs an accepted update adds structs under for the first time (to bind to its sender). */
export type AuthorshipCheck = { ok: true; claims: number[] } | { ok: false; reason: string }

const NO_CLAIMS: AuthorshipCheck = { ok: true, claims: [] }

/**
 * For a v1 update whose structs all belong to one client — what a provider sends for one
 * local transaction — that client and the clock its structs start at, read from the header
 * (three varuints) without decoding a struct. Null for anything else (the full parse decides).
 */
function singleClientStart(update: Uint8Array): { client: number; from: number } | null {
  try {
    const d = decoding.createDecoder(update)
    if (decoding.readVarUint(d) !== 1) return null
    if (decoding.readVarUint(d) === 0) return null
    const client = decoding.readVarUint(d)
    return { client, from: decoding.readVarUint(d) }
  } catch {
    return null
  }
}

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
    // Fast path (nearly every live edit): structs starting at or past the doc's state are new.
    const single = singleClientStart(update)
    if (single && single.from >= Y.getState(doc.store, single.client)) {
      return this.#checkNew([single.client], userId)
    }
    const news: number[] = []
    for (const [client, end] of Y.parseUpdateMeta(update).to) {
      if (end > Y.getState(doc.store, client)) news.push(client)
    }
    return this.#checkNew(news, userId)
  }

  /** `clients`: those the update adds structs under. */
  #checkNew(clients: readonly number[], userId: string): AuthorshipCheck {
    let claims: number[] | null = null
    for (const client of clients) {
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

  /** Whether `userId` may use `clientId`: it is unbound or bound to them. */
  mayUse(clientId: number, userId: string): boolean {
    const owner = this.bindings.get(clientId)
    return owner === undefined || owner === userId
  }

  /**
   * Binds `claims` to `userId`, durably, once the update that made them was integrated and
   * before it is queued for relay. Throws when SQLite fails (nothing is bound in memory then),
   * and ClientIdTakenError when another node bound one of them to someone else first.
   */
  bind(claims: readonly number[], userId: string, at: number): void {
    for (const client of claims) {
      if (this.bindings.has(client)) continue
      const owner = this.store.insert(this.docName, client, userId, at)
      this.bindings.set(client, owner)
      if (owner !== userId) throw new ClientIdTakenError(client)
    }
  }
}
