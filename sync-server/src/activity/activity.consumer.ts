import type { DerivationConsumer } from '../derivation/consumer.js'
import { insertActivity, type LastEntries } from './activity.repository.js'
import type { BoardEvent } from './board-events.js'

/** The activity log's name among the derivation consumers (its cursor's key). */
export const ACTIVITY_CONSUMER = 'activity'

/**
 * Writes board events as activity entries (issue 7). Each event carries its update's seq,
 * sender and time; the engine skips the events its cursor passed (a position inside a seq
 * when a big update's events were written in parts), so a replay after a crash never
 * duplicates an entry.
 */
export function activityConsumer(): DerivationConsumer {
  /** Each task's newest entry per project, so grouping needs no lookup per edit. */
  const last = new Map<string, LastEntries>()
  return {
    name: ACTIVITY_CONSUMER,
    // Every entry is an event's: the engine writes them as parts (exactly once per event,
    // also when a big update's events span several transactions).
    write: async () => false,
    parts: {
      of: (batch) => batch.events,
      async write(trx, docName, events: readonly BoardEvent[]) {
        if (events.length === 0) return false
        let cache = last.get(docName)
        if (!cache) {
          cache = new Map()
          last.set(docName, cache)
        }
        try {
          await insertActivity(trx, docName, events, cache)
        } catch (err) {
          // Rolled back: the cache may name entries that do not exist.
          last.delete(docName)
          throw err
        }
        return true
      },
    },
    // A rolled-back transaction (the engine re-derives from the cursor) may leave the cache
    // naming entries that do not exist.
    reset: (docName) => last.delete(docName),
  }
}
