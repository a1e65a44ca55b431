import type { DerivationConsumer } from '../derivation/consumer.js'
import { PROJECTION_CONSUMER, writeProjectionWork } from './projector.js'

/**
 * The reporting projection (ARCHITECTURE rule 4) and the search index: task rows, columns,
 * fields, relations and search text as of the batch's last seq, and each status change
 * attributed to the update that made it.
 */
export function projectionConsumer(): DerivationConsumer {
  return {
    name: PROJECTION_CONSUMER,
    async write(trx, batch, after) {
      if (!batch.projection) return false
      await writeProjectionWork(trx, batch.docName, batch.projection, after)
      return true
    },
  }
}
