import type * as Y from 'yjs'

/**
 * One step of schema evolution, from `to - 1` to `to`. Steps run inside one transaction
 * on open and must be idempotent: two replicas may run the same step concurrently and
 * their writes merge (write the same values, create entries under deterministic ids).
 */
export interface BoardMigration {
  to: number
  describe: string
  up: (doc: Y.Doc) => void
}

/**
 * Ordered list of migrations; the next schema appends `{ to: 4, ... }` here and bumps
 * SCHEMA_VERSION.
 */
export const MIGRATIONS: readonly BoardMigration[] = [
  {
    to: 2,
    describe:
      'new tasks get a rich-text body (Y.XmlFragment); existing tasks keep their plain description',
    // Nothing to rewrite: converting a description on open would run on several replicas
    // at once, and each would create its own body under one key, of which only one
    // survives with the typing made into it. The version bump itself is the point: a
    // v1 client opening the board gets `newer_schema` instead of writing descriptions
    // into a Y.Text that v2 clients no longer read for new tasks.
    up: () => {},
  },
  {
    to: 3,
    describe:
      "a task's place is its winning move record (move:<id>, hybrid logical clock); the v2 placement value reads as the oldest move",
    // Nothing to rewrite: the v2 `placement` value is read as a move with the lowest
    // possible stamp (readMoves), so every v3 move wins over it and the first one deletes
    // it. Copying it into a move record on open would run on replicas holding different
    // copies: a stale copy (a device back from a week offline) would write its older
    // column as a record just like the current one, and records from two migrations do
    // not know which came later, so the task could jump back. Read in place, `placement`
    // keeps merging as it did in v2 (Yjs orders a causally later write last). The bump
    // keeps v2 clients, which read only `placement`, from writing moves v3 would rank last.
    up: () => {},
  },
]
