import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/database.js'
import { yieldTurn } from './state-parts.js'

/**
 * Largest logged update read in one statement; a larger one is read in pieces of this size,
 * one statement each, with a turn of the event loop in between. Reading a row is synchronous
 * on SQLite: one update that imported a 10,000-task board (8.7 MB) held the event loop for
 * 50–250 ms when a room loaded it or the derivation engine read it (issue 17). A piece
 * further into a row costs more (SQLite walks its overflow pages from the start): on a loaded
 * machine the last 1 MiB piece of that row took up to 200 ms, the last 256 KiB piece 25–55 ms.
 */
export const UPDATE_PIECE_BYTES = 256 * 1024

/**
 * Selects a doc_updates row's update only when it is at most UPDATE_PIECE_BYTES (else null;
 * `updateBytes` then says how large it is, and `readUpdateInPieces` reads it). Neither
 * dialect reads a blob to take its length.
 */
export function updateIfSmall(): RawBuilder<Uint8Array | null> {
  return sql<Uint8Array | null>`CASE WHEN length(${sql.ref('update')}) <= ${UPDATE_PIECE_BYTES} THEN ${sql.ref('update')} END`
}

export function updateBytes(): RawBuilder<number> {
  return sql<number>`length(${sql.ref('update')})`
}

/**
 * The update of `docName`'s row `seq`, `bytes` long, read in pieces with the event loop
 * free between them; null when the row is gone meanwhile (a compaction deleted it: the
 * caller reads again). A logged update never changes while its row exists, so pieces read
 * in separate statements make the same bytes as one read.
 */
export async function readUpdateInPieces(
  db: Db,
  docName: string,
  seq: number,
  bytes: number,
): Promise<Uint8Array | null> {
  const out = new Uint8Array(bytes)
  for (let at = 0; at < bytes; at += UPDATE_PIECE_BYTES) {
    await yieldTurn()
    const want = Math.min(UPDATE_PIECE_BYTES, bytes - at)
    const row = await db
      .selectFrom('doc_updates')
      .select(sql<Uint8Array>`substr(${sql.ref('update')}, ${at + 1}, ${want})`.as('piece'))
      .where('doc_name', '=', docName)
      .where('seq', '=', seq)
      .executeTakeFirst()
    if (!row || row.piece.length !== want) return null
    out.set(row.piece, at)
  }
  return out
}

/** Rows as selected with `updateIfSmall` / `updateBytes`: the large updates read in pieces. */
export async function withLargeUpdates<
  R extends { seq: number; update: Uint8Array | null; bytes: number },
>(
  db: Db,
  docName: string,
  rows: readonly R[],
): Promise<(Omit<R, 'update' | 'bytes'> & { update: Uint8Array })[] | null> {
  const out: (Omit<R, 'update' | 'bytes'> & { update: Uint8Array })[] = []
  for (const { update, bytes, ...rest } of rows) {
    const full = update ?? (await readUpdateInPieces(db, docName, rest.seq, Number(bytes)))
    if (!full) return null
    out.push({ ...rest, update: full })
  }
  return out
}
