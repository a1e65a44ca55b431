/**
 * Who runs a document's derivation consumers. With several nodes exactly one may run them
 * at a time (a Redis or Postgres lease in the multi-node build); results do not depend on
 * which node it is, because everything it derives comes from the committed log and every
 * cursor moves in the transaction of what it wrote.
 */
import type { Transaction } from 'kysely'
import type { Database } from '../db/schema.js'

export interface DocumentLease {
  /** Resolves to a handle when this node may run `docName`'s consumers now, else null. */
  acquire(docName: string): Promise<LeaseHandle | null>
}

export interface LeaseHandle {
  /** False once the lease was lost (expired, taken over): stop before the next write. */
  held(): boolean
  /**
   * Called first in each transaction that writes derived rows: renews the lease there and
   * resolves false when another node took it over (then the engine rolls the transaction
   * back). This fence, not `held()`, makes effects exactly-once: a holder that stalled past
   * its expiry cannot commit after the node that took over.
   */
  confirm(trx: Transaction<Database>): Promise<boolean>
  release(): Promise<void>
}

/** One process: the engine runs one document at a time, so every acquire of a free name wins. */
export class InProcessLease implements DocumentLease {
  readonly #held = new Set<string>()

  async acquire(docName: string): Promise<LeaseHandle | null> {
    if (this.#held.has(docName)) return null
    this.#held.add(docName)
    let released = false
    return {
      held: () => !released,
      confirm: async () => !released,
      release: async () => {
        released = true
        this.#held.delete(docName)
      },
    }
  }
}
