import { initBoard } from '@taskflow/board'
import type { Kysely } from 'kysely'
import * as Y from 'yjs'
import type { Database } from '../db/schema.js'
import { deleteIndexPacks } from '../history/history-index.repository.js'
import { joinedState } from '../sync/state-parts.js'

/**
 * The first state of a new project's board (schema v1, default columns), encoded as one
 * Yjs update. Written once, by the server, so clients never race to initialise a board.
 */
export function initialBoardUpdate(input: { name: string; description: string }): Uint8Array {
  const doc = new Y.Doc()
  const result = initBoard(doc, input)
  if (!result.ok) throw new Error(`initBoard failed: ${result.error.message}`)
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

/**
 * Stores the initial update as seq 1 of the document's log, attributed to the creator, and
 * binds its client ID to the creator, so nobody else can write as the board's first author.
 * Call inside the transaction that creates the project, so a project never exists
 * without its board.
 */
export async function insertInitialUpdate(
  db: Kysely<Database>,
  docName: string,
  update: Uint8Array,
  userId: string,
  now: number,
): Promise<void> {
  await db
    .insertInto('doc_updates')
    .values({ doc_name: docName, seq: 1, update, user_id: userId, created_at: now })
    .execute()
  const clients = [...Y.parseUpdateMeta(update).to.keys()]
  if (clients.length === 0) return
  await db
    .insertInto('client_bindings')
    .values(
      clients.map((id) => ({ doc_name: docName, client_id: id, user_id: userId, created_at: now })),
    )
    .execute()
}

/** Removes the stored log, snapshot, history, client bindings and API client IDs of a deleted project's document. */
export async function deleteStoredDocument(db: Kysely<Database>, docName: string): Promise<void> {
  await db.deleteFrom('doc_updates').where('doc_name', '=', docName).execute()
  await db.deleteFrom('doc_snapshots').where('doc_name', '=', docName).execute()
  await db.deleteFrom('doc_checkpoints').where('doc_name', '=', docName).execute()
  await db.deleteFrom('doc_state_parts').where('doc_name', '=', docName).execute()
  await db.deleteFrom('history_versions').where('doc_name', '=', docName).execute()
  await db.deleteFrom('history_steps').where('doc_name', '=', docName).execute()
  await db.deleteFrom('history_index').where('doc_name', '=', docName).execute()
  await db.deleteFrom('history_board').where('doc_name', '=', docName).execute()
  await db.deleteFrom('history_board_packs').where('doc_name', '=', docName).execute()
  await deleteIndexPacks(db, docName)
  await db.deleteFrom('client_bindings').where('doc_name', '=', docName).execute()
  await db.deleteFrom('api_clients').where('doc_name', '=', docName).execute()
}

/**
 * The document as stored: its snapshot plus the log after it, applied to a fresh Y.Doc.
 * Every update a client has seen is in it (persist before relay). The caller destroys it.
 */
export async function loadStoredDocument(db: Kysely<Database>, docName: string): Promise<Y.Doc> {
  const snapshot = await db
    .selectFrom('doc_snapshots')
    .select(['upto_seq', 'state', 'parts_id', 'parts'])
    .where('doc_name', '=', docName)
    .executeTakeFirst()
  const updates = await db
    .selectFrom('doc_updates')
    .select('update')
    .where('doc_name', '=', docName)
    .where('seq', '>', snapshot?.upto_seq ?? 0)
    .orderBy('seq')
    .execute()
  const doc = new Y.Doc()
  if (snapshot) Y.applyUpdate(doc, await joinedState(db, snapshot))
  for (const u of updates) Y.applyUpdate(doc, u.update)
  return doc
}
