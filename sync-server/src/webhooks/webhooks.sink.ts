import type { Transaction } from 'kysely'
import type { BoardEvent } from '../activity/board-events.js'
import type { Clock } from '../clock.js'
import type { Database } from '../db/schema.js'
import type { EventSink } from '../derivation/consumer.js'
import { webhookEventsOf } from './webhook-events.js'
import { enqueueEvents } from './webhooks.repository.js'

/**
 * Queues webhook deliveries for board events inside the activity write's transaction: the
 * derivation is debounced after commit (never on the relay path) and gated by derived_seq,
 * so each event of a persisted update is queued exactly once, also when offline edits
 * arrive later or the log is replayed after a crash.
 */
export class WebhooksSink implements EventSink {
  #queued = false

  constructor(
    private readonly now: Clock,
    private readonly wake: () => void,
  ) {}

  async write(
    trx: Transaction<Database>,
    projectId: string,
    events: readonly BoardEvent[],
  ): Promise<void> {
    const n = await enqueueEvents(trx, projectId, webhookEventsOf(projectId, events), this.now())
    if (n > 0) this.#queued = true
  }

  afterCommit(): void {
    if (!this.#queued) return
    this.#queued = false
    this.wake()
  }
}
