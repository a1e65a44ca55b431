import * as Y from 'yjs'
import type { Db } from '../db/database.js'
import { DAY_MS } from './checkpoint-policy.js'
import { listBases, loadBaseUpdates, logRows, type ReplayBase } from './history.repository.js'

/** Where history starts for a document, and the bases it is replayed from. */
export interface HistoryWindow {
  /** The earliest instant `?at=` answers (ms). */
  start: number
  bases: ReplayBase[]
}

/**
 * The window of a document's history: from the later of now − days and its oldest replay
 * base, to now. Null when the document has no stored state at all.
 */
export async function historyWindow(
  db: Db,
  docName: string,
  now: number,
  days: number,
): Promise<HistoryWindow | null> {
  const bases = await listBases(db, docName)
  if (bases.length === 0) return null
  return { start: Math.max(now - days * DAY_MS, bases[0]!.at), bases }
}

/** The newest base at or before `at`, and the first later one past it (bounds its replay). */
function baseFor(win: HistoryWindow, at: number): { base: ReplayBase; next?: ReplayBase } {
  let i = -1
  for (let k = 0; k < win.bases.length; k++) if (win.bases[k]!.at <= at) i = k
  if (i < 0) throw new Error('time before the start of history')
  const base = win.bases[i]!
  // Updates past the next base are after it in time too (one clock, appended in order).
  const next = win.bases.slice(i + 1).find((b) => b.seq > base.seq && b.at > at)
  return { base, next }
}

/**
 * The last stored update of the document as it was at `at` (inside the window): what
 * `docAt` replays up to, or its base's seq when it replays nothing.
 */
export async function seqAt(
  db: Db,
  docName: string,
  win: HistoryWindow,
  at: number,
): Promise<number> {
  const { base, next } = baseFor(win, at)
  let q = db
    .selectFrom('doc_updates')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('doc_name', '=', docName)
    .where('seq', '>', base.seq)
    .where('created_at', '<=', at)
  if (next) q = q.where('seq', '<=', next.seq)
  const row = await q.executeTakeFirst()
  return row?.seq == null ? base.seq : Number(row.seq)
}

/** A document rebuilt by `docAt`, and how far: every stored row up to `seq` (stored at `at`). */
export interface RebuiltDoc {
  doc: Y.Doc
  seq: number
  at: number
}

/** Rows replayed from a kept document rather than loading a checkpoint after it. */
const REPLAY_INSTEAD_OF_LOAD = 1000

/**
 * The document as it was at `at`: the newest base at or before it, plus every stored update
 * after that base stored at or before `at`, applied in one transaction (3× faster than one
 * `Y.mergeUpdates` of them, or a transaction each, for thousands of small updates). `at`
 * must be inside the window. The caller destroys the doc. Built with gc on,
 * like every document the server holds: history needs no tombstones of the past, only
 * states and the updates between them.
 *
 * `from`: a document rebuilt earlier for a time at or before `at` (a history scrubber's
 * previous step), moved forward instead when that replays less than loading the nearest
 * base; the caller gives it up (it is the one returned then).
 */
export async function docAt(
  db: Db,
  docName: string,
  win: HistoryWindow,
  at: number,
  from?: RebuiltDoc,
): Promise<RebuiltDoc> {
  const { base, next } = baseFor(win, at)
  if (from && from.at <= at && from.seq + REPLAY_INSTEAD_OF_LOAD >= base.seq) {
    const rows = await logRows(db, docName, from.seq, next?.seq ?? null, at)
    from.doc.transact(() => {
      for (const r of rows) Y.applyUpdate(from.doc, r.update)
    })
    const last = rows[rows.length - 1]
    return { doc: from.doc, seq: last?.seq ?? from.seq, at }
  }
  from?.doc.destroy()
  const chain = await loadBaseUpdates(db, docName, base)
  const rows = await logRows(db, docName, base.seq, next?.seq ?? null, at)
  const doc = new Y.Doc()
  doc.transact(() => {
    for (const u of chain) Y.applyUpdate(doc, u)
    for (const r of rows) Y.applyUpdate(doc, r.update)
  })
  return { doc, seq: rows[rows.length - 1]?.seq ?? base.seq, at }
}
