import type { Transaction } from 'kysely'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import type { Database } from '../db/schema.js'
import type { DocumentLease, LeaseHandle } from './lease.js'

/** How long a lease lasts without a write renewing it: a dead holder's documents wait this long. */
export const DERIVATION_LEASE_MS = 30_000

/**
 * Leases in the shared database (derivation_leases), for several nodes on one database: a
 * row per document names its holder until `expires_at` (the injected clock). A node takes a
 * free, expired or already-own lease with one upsert; every derived write renews it in its
 * own transaction and fails when the row names another holder (`confirm`). On Postgres the
 * renewing UPDATE and a takeover's upsert lock the same row, so one of them sees the
 * other's commit; on SQLite writers are serialized anyway.
 */
export class DatabaseLease implements DocumentLease {
  constructor(
    private readonly db: Db,
    /** This node's id (ClusterNode.node). */
    private readonly holder: string,
    private readonly now: Clock,
    private readonly leaseMs = DERIVATION_LEASE_MS,
  ) {}

  async acquire(docName: string): Promise<LeaseHandle | null> {
    const t = this.now()
    let expiresAt = t + this.leaseMs
    const taken = await this.db
      .insertInto('derivation_leases')
      .values({ doc_name: docName, holder: this.holder, expires_at: expiresAt })
      .onConflict((oc) =>
        oc
          .column('doc_name')
          .doUpdateSet({
            holder: (eb) => eb.ref('excluded.holder'),
            expires_at: (eb) => eb.ref('excluded.expires_at'),
          })
          .where((eb) =>
            eb.or([
              eb('derivation_leases.expires_at', '<', t),
              eb('derivation_leases.holder', '=', eb.ref('excluded.holder')),
            ]),
          ),
      )
      .executeTakeFirst()
    if (Number(taken.numInsertedOrUpdatedRows ?? 0) === 0) return null
    let lost = false
    let released = false
    return {
      held: () => !lost && !released && this.now() < expiresAt,
      confirm: async (trx: Transaction<Database>) => {
        if (released) return false
        const renewed = this.now() + this.leaseMs
        const r = await trx
          .updateTable('derivation_leases')
          .set({ expires_at: renewed })
          .where('doc_name', '=', docName)
          .where('holder', '=', this.holder)
          .executeTakeFirst()
        if (Number(r.numUpdatedRows) === 0) {
          lost = true
          return false
        }
        expiresAt = renewed
        return true
      },
      release: async () => {
        if (released) return
        released = true
        if (lost) return
        await this.db
          .deleteFrom('derivation_leases')
          .where('doc_name', '=', docName)
          .where('holder', '=', this.holder)
          .execute()
      },
    }
  }
}
