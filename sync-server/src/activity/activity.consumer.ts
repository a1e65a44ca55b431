import type { DerivationConsumer } from '../derivation/consumer.js'
import { insertActivity, type LastEntries } from './activity.repository.js'

/** The activity log's name among the derivation consumers (its cursor's key). */
export const ACTIVITY_CONSUMER = 'activity'

/**
 * Writes board events as activity entries (issue 7). Each event carries its update's seq,
 * sender and time; events at or before the cursor were written before and are skipped, so
 * a replay after a crash never duplicates an entry.
 */
export function activityConsumer(): DerivationConsumer {
  /** Each task's newest entry per project, so grouping needs no lookup per edit. */
  const last = new Map<string, LastEntries>()
  return {
    name: ACTIVITY_CONSUMER,
    async write(trx, batch, after) {
      const fresh = batch.events.filter((e) => e.seq > after)
      if (fresh.length === 0) return false
      let cache = last.get(batch.docName)
      if (!cache) {
        cache = new Map()
        last.set(batch.docName, cache)
      }
      try {
        await insertActivity(trx, batch.docName, fresh, cache)
      } catch (err) {
        // Rolled back: the cache may name entries that do not exist.
        last.delete(batch.docName)
        throw err
      }
      return true
    },
    // A rolled-back transaction (the engine re-derives from the cursor) may leave the cache
    // naming entries that do not exist.
    reset: (docName) => last.delete(docName),
  }
}
