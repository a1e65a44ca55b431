import type { DerivationConsumer } from '../derivation/consumer.js'
import type { HistoryDeriver } from './history-deriver.js'

/** Cursor key of the history consumer; never renamed (derivation_cursors holds it). */
export const HISTORY_CONSUMER = 'history'

/**
 * Task history derived in the background (issue 18 perf): a consumer of the derivation
 * engine that only wakes the history deriver once a batch of a document's committed log
 * is through the engine. The index keeps its own position (history_index.last_seq) and
 * replays the stored rows itself, as it needs the document update by update, which the
 * engine's fold does not keep; its cursor here only records that the wake-up happened.
 * Without it, the first task-history read of a board derived every row since the last
 * read (≈ 1.7 ms a row on a 2,000-task board: seconds after a busy day).
 */
export function historyConsumer(deriver: HistoryDeriver): DerivationConsumer {
  return {
    name: HISTORY_CONSUMER,
    // Writes nothing in the engine's transaction; true so that afterCommit runs.
    write: async () => true,
    afterCommit: (docName) => deriver.derive(docName),
  }
}
