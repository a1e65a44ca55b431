/** Counters of the sync hub's work (tests and operators read them; SPEC 5.5–5.8). Mutated in place. */
export interface SyncCounters {
  /** Times the answer to an empty state vector was built (once per stored version). */
  freshAnswerBuilds: number
  /** Sync step 1 answered with a diff encoded from the Y.Doc for that state vector. */
  diffsEncoded: number
  /** Sync step 1 messages received. */
  step1Received: number
  /** Step 1s held back (or merged into one held back) while the socket's output was backlogged. */
  step1Deferred: number
  /** Sockets closed with 4503 because an output budget was exceeded. */
  closedOverloaded: number
  /** Sockets closed with 4429 (step 1 rate, sockets per user or per document). */
  closedTooMany: number
}

export function createCounters(): SyncCounters {
  return {
    freshAnswerBuilds: 0,
    diffsEncoded: 0,
    step1Received: 0,
    step1Deferred: 0,
    closedOverloaded: 0,
    closedTooMany: 0,
  }
}
