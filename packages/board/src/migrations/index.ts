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
 * Ordered list of migrations. v1 is the first schema, so the list is empty; the next
 * schema appends `{ to: 2, ... }` here and bumps SCHEMA_VERSION.
 */
export const MIGRATIONS: readonly BoardMigration[] = []
