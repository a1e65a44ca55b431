import type { Db } from '../db/database.js'
import { joinedState } from '../sync/state-parts.js'

/**
 * A stored state history can start a replay from: a checkpoint, the live snapshot, or the
 * empty document before update 1 (`state` null) while the log still starts there.
 */
export interface ReplayBase {
  kind: 'checkpoint' | 'snapshot' | 'empty'
  /** Every update with seq <= this is in the state. */
  seq: number
  /** The instant the state shows (the stored time of update `seq`; for `empty`, of update 1). */
  at: number
}

export interface LogRow {
  seq: number
  update: Uint8Array
  userId: string | null
  at: number
}

/** The document's replay bases, oldest first (by seq). */
export async function listBases(db: Db, docName: string): Promise<ReplayBase[]> {
  const checkpoints = await db
    .selectFrom('doc_checkpoints')
    .select(['upto_seq', 'upto_at'])
    .where('doc_name', '=', docName)
    .execute()
  const bases: ReplayBase[] = checkpoints.map((c) => ({
    kind: 'checkpoint',
    seq: c.upto_seq,
    at: c.upto_at,
  }))
  const snap = await db
    .selectFrom('doc_snapshots')
    .select(['upto_seq', 'created_at'])
    .where('doc_name', '=', docName)
    .executeTakeFirst()
  if (snap && !checkpoints.some((c) => c.upto_seq === snap.upto_seq)) {
    // Its own update's time when the row is kept; else the compaction's, which is no earlier.
    const row = await rowTime(db, docName, snap.upto_seq)
    bases.push({ kind: 'snapshot', seq: snap.upto_seq, at: row ?? snap.created_at })
  }
  const first = await rowTime(db, docName, 1)
  if (first !== null) bases.push({ kind: 'empty', seq: 0, at: first })
  return bases.sort((a, b) => a.seq - b.seq)
}

async function rowTime(db: Db, docName: string, seq: number): Promise<number | null> {
  const row = await db
    .selectFrom('doc_updates')
    .select('created_at')
    .where('doc_name', '=', docName)
    .where('seq', '=', seq)
    .executeTakeFirst()
  return row?.created_at ?? null
}

/**
 * The updates that make up the state a base holds, to apply in order in one transaction
 * (none: the empty document). A checkpoint is the nearest full checkpoint at or before it,
 * then the diffs up to it: applied one after the other rather than merged first, as
 * `Y.mergeUpdates` of a large state re-encodes all of it (docs/benchmarks.md).
 */
export async function loadBaseUpdates(
  db: Db,
  docName: string,
  base: ReplayBase,
): Promise<Uint8Array[]> {
  if (base.kind === 'empty') return []
  if (base.kind === 'checkpoint') {
    const full = await db
      .selectFrom('doc_checkpoints')
      .select('upto_seq')
      .where('doc_name', '=', docName)
      .where('kind', '=', 'full')
      .where('upto_seq', '<=', base.seq)
      .orderBy('upto_seq', 'desc')
      .limit(1)
      .executeTakeFirst()
    const chain = await db
      .selectFrom('doc_checkpoints')
      .select(['upto_seq', 'kind', 'state', 'parts_id', 'parts'])
      .where('doc_name', '=', docName)
      .where('upto_seq', '>=', full?.upto_seq ?? 0)
      .where('upto_seq', '<=', base.seq)
      .orderBy('upto_seq')
      .execute()
    if (chain[chain.length - 1]?.upto_seq !== base.seq) {
      throw new Error(`checkpoint ${base.seq} of ${docName} is gone`)
    }
    if (chain[0]?.kind !== 'full') throw new Error('a checkpoint chain starts with a full state')
    const states: Uint8Array[] = []
    for (const c of chain) states.push(new Uint8Array(await joinedState(db, c)))
    return states
  }
  const row = await db
    .selectFrom('doc_snapshots')
    .select(['state', 'upto_seq', 'parts_id', 'parts'])
    .where('doc_name', '=', docName)
    .executeTakeFirst()
  if (!row || row.upto_seq !== base.seq) throw new Error(`snapshot ${base.seq} of ${docName} moved`)
  return [new Uint8Array(await joinedState(db, row))]
}

/** Log rows with afterSeq < seq <= uptoSeq (no bound: to the end), stored at or before `uptoAt`, in seq order. */
export async function logRows(
  db: Db,
  docName: string,
  afterSeq: number,
  uptoSeq: number | null,
  uptoAt: number | null,
  limit?: number,
): Promise<LogRow[]> {
  let q = db
    .selectFrom('doc_updates')
    .select(['seq', 'update', 'user_id', 'created_at'])
    .where('doc_name', '=', docName)
    .where('seq', '>', afterSeq)
  if (uptoSeq !== null) q = q.where('seq', '<=', uptoSeq)
  if (uptoAt !== null) q = q.where('created_at', '<=', uptoAt)
  q = q.orderBy('seq')
  if (limit !== undefined) q = q.limit(limit)
  const rows = await q.execute()
  return rows.map((r) => ({
    seq: r.seq,
    update: new Uint8Array(r.update),
    userId: r.user_id,
    at: r.created_at,
  }))
}
