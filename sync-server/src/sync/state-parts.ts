import { randomUUID } from 'node:crypto'
import type SQLite from 'better-sqlite3'
import type { Db } from '../db/database.js'

/**
 * Largest part of a stored state. SQLite has one write lock, and every group commit needs
 * it before relaying (persist before relay): writing a 256 KiB part holds it for about a
 * millisecond, a 9 MB state in one statement for 50 ms to seconds on a busy disk (issue 18).
 */
export const STATE_PART_BYTES = 256 * 1024

/** Where a row's state is: inline, or in parts. */
export interface StoredState {
  state: Uint8Array
  parts_id: string | null
  parts: number | null
}

/** A state written in parts, not yet pointed at by any row. */
export interface StagedState {
  id: string
  parts: number
  /** Bytes of the whole state. */
  bytes: number
}

/** Called after each part is written (tests: a crash between parts). */
export type PartHook = (docName: string, part: number) => void | Promise<void>

/**
 * Writes `state` as parts under a new id, each part its own statement (its own transaction),
 * with a full turn of the event loop between them so group commits take the lock in between.
 * Nothing reads the parts until a row points at them: a crash meanwhile leaves garbage that
 * `deleteUnreferencedParts` removes, never a half state. Rejects on a database error.
 */
export async function stageState(
  db: Db,
  docName: string,
  state: Uint8Array,
  afterPart?: PartHook,
): Promise<StagedState> {
  const id = randomUUID()
  const view = Buffer.from(state.buffer, state.byteOffset, state.byteLength)
  let part = 0
  for (let at = 0; at < view.length; at += STATE_PART_BYTES, part++) {
    await db
      .insertInto('doc_state_parts')
      .values({
        blob_id: id,
        part,
        doc_name: docName,
        data: view.subarray(at, at + STATE_PART_BYTES),
      })
      .execute()
    await afterPart?.(docName, part)
    await yieldTurn()
  }
  return { id, parts: part, bytes: state.length }
}

/** Whether every part of a staged state is stored (a row may point at it). */
export async function stagedComplete(db: Db, staged: StagedState): Promise<boolean> {
  const row = await db
    .selectFrom('doc_state_parts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('blob_id', '=', staged.id)
    .executeTakeFirstOrThrow()
  return Number(row.n) === staged.parts
}

/** The state a row holds, joined from its parts when it has them. Rejects when one is missing. */
export async function joinedState(db: Db, row: StoredState): Promise<Uint8Array> {
  if (row.parts_id === null) return row.state
  const parts = await db
    .selectFrom('doc_state_parts')
    .select(['part', 'data'])
    .where('blob_id', '=', row.parts_id)
    .orderBy('part')
    .execute()
  return joinParts(row, parts)
}

/** joinedState on a better-sqlite3 handle (backups, tests reading the file directly). */
export function joinedStateSync(sqlite: SQLite.Database, row: StoredState): Uint8Array {
  if (row.parts_id === null) return row.state
  const parts = sqlite
    .prepare<[string], { part: number; data: Uint8Array }>(
      'SELECT part, data FROM doc_state_parts WHERE blob_id = ? ORDER BY part',
    )
    .all(row.parts_id)
  return joinParts(row, parts)
}

function joinParts(row: StoredState, parts: { part: number; data: Uint8Array }[]): Uint8Array {
  if (parts.length !== row.parts || parts.some((p, i) => p.part !== i)) {
    throw new Error(`state ${row.parts_id}: ${parts.length} of ${row.parts} parts stored`)
  }
  return Buffer.concat(parts.map((p) => p.data))
}

/**
 * Deletes the document's parts that neither its snapshot nor any checkpoint points at (what
 * a replaced state, a dropped checkpoint or a crash while staging left), one part per
 * statement with the event loop free in between. Call only while no state of the document
 * is being staged: compaction calls it after its own writes (one at a time per document).
 */
export async function deleteUnreferencedParts(db: Db, docName: string): Promise<number> {
  const garbage = await db
    .selectFrom('doc_state_parts')
    .select(['blob_id', 'part'])
    .where('doc_name', '=', docName)
    // Referenced by the snapshot or by a checkpoint: the same test on both tables.
    .where((eb) =>
      eb.and(
        (['doc_snapshots', 'doc_checkpoints'] as const).map((table) =>
          eb(
            'blob_id',
            'not in',
            eb
              .selectFrom(table)
              .select('parts_id')
              .where('doc_name', '=', docName)
              .where('parts_id', 'is not', null)
              .$narrowType<{ parts_id: string }>(),
          ),
        ),
      ),
    )
    .execute()
  for (const g of garbage) {
    await db
      .deleteFrom('doc_state_parts')
      .where('blob_id', '=', g.blob_id)
      .where('part', '=', g.part)
      .execute()
    await yieldTurn()
  }
  return garbage.length
}

/** Bytes of a document's stored states held in parts (sizing: history-deriver, benchmarks). */
export async function partBytes(db: Db, docName: string, partsId: string | null): Promise<number> {
  if (partsId === null) return 0
  const row = await db
    .selectFrom('doc_state_parts')
    .select((eb) => eb.fn.sum<number>(eb.fn('length', ['data'])).as('n'))
    .where('blob_id', '=', partsId)
    .where('doc_name', '=', docName)
    .executeTakeFirst()
  return Number(row?.n ?? 0)
}

/**
 * Resumes after a full turn of the event loop, its poll phase (sockets) included: one
 * setImmediate from the poll phase runs in the same turn's check phase; the second after it.
 */
export const yieldTurn = () =>
  new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)))
