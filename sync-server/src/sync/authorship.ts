import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import type { Db } from '../db/database.js'
import type { BindingRow } from './update-log.js'

/**
 * Unforgeable authorship (SPEC 7): each Yjs client ID of a document is bound to the user
 * whose write connection first sent structs or a presence state with it, and nobody else
 * may add structs under it.
 * So "who wrote this item" is the binding of its ID's client, never a field a client sets.
 */

/**
 * The client ID was bound to another user meanwhile (by another node: this node's bindings
 * are loaded with the room). The commit that claimed it fails, and its socket is refused
 * with 4403 (SPEC 7.2).
 */
export class ClientIdTakenError extends Error {
  constructor(
    readonly docName: string,
    readonly clientId: number,
  ) {
    super(`client id ${clientId} belongs to another user`)
  }
}

/**
 * `client_bindings` reads (Kysely, either dialect). New bindings are written by the group
 * commit in the transaction of the update that made them (UpdateLog.append), so a binding
 * is durable exactly when that update is, before it is relayed.
 */
export class ClientBindingStore {
  constructor(private readonly db: Db) {}

  async load(docName: string): Promise<Map<number, string>> {
    const rows = await this.db
      .selectFrom('client_bindings')
      .select(['client_id', 'user_id'])
      .where('doc_name', '=', docName)
      .execute()
    return new Map(rows.map((r) => [r.client_id, r.user_id]))
  }

  async deleteDocument(docName: string): Promise<void> {
    await this.db.deleteFrom('client_bindings').where('doc_name', '=', docName).execute()
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
    private readonly docName: string,
    private bindings: Map<number, string>,
  ) {}

  /** Replaces the bindings with what storage holds (the room reloaded after a failure). */
  reset(bindings: Map<number, string>): void {
    this.bindings = bindings
  }

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
   * Binds `claims` to `userId` in memory, at once (so no later message, of any user, can
   * claim them), and returns the rows to store: the caller hands them to the group commit
   * with the update (or presence state) that made them, and relays that only once they are
   * durable. A failed commit reloads the room, bindings included.
   */
  bind(claims: readonly number[], userId: string, at: number): BindingRow[] {
    const rows: BindingRow[] = []
    for (const client of claims) {
      if (this.bindings.has(client)) continue
      this.bindings.set(client, userId)
      rows.push({ docName: this.docName, clientId: client, userId, createdAt: at })
    }
    return rows
  }
}
