import {
  type AttachmentRef,
  listBoardAttachments,
  referencedAttachmentHashes,
} from '@taskflow/board'
import * as Y from 'yjs'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import type { Logger } from '../logger.js'
import { joinedState } from '../sync/state-parts.js'
import type { BlobStore } from './blob-store.js'

const DAY = 86_400_000

/** A project's board document as stored (snapshot + the log after it); destroy it after use. */
async function loadStoredDoc(db: Db, projectId: string): Promise<Y.Doc> {
  const doc = new Y.Doc()
  const snap = await db
    .selectFrom('doc_snapshots')
    .select(['state', 'upto_seq', 'parts_id', 'parts'])
    .where('doc_name', '=', projectId)
    .executeTakeFirst()
  if (snap) Y.applyUpdate(doc, new Uint8Array(await joinedState(db, snap)))
  const rows = await db
    .selectFrom('doc_updates')
    .select('update')
    .where('doc_name', '=', projectId)
    .where('seq', '>', snap?.upto_seq ?? 0)
    .orderBy('seq')
    .execute()
  for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.update))
  return doc
}

/** One line of an export's attachments manifest. */
export interface ManifestEntry extends AttachmentRef {
  /** The server holds the file for this project (else it is still on `addedBy`'s device). */
  stored: boolean
}

/**
 * Every attachment reference of a project's board, as stored, with whether the server
 * holds each file for the project: the "attachments manifest" of an export. The files
 * themselves are read with `BlobStore.read(sha256)` (or `GET …/attachments/:sha256`).
 */
export async function attachmentsManifest(db: Db, projectId: string): Promise<ManifestEntry[]> {
  const doc = await loadStoredDoc(db, projectId)
  try {
    const refs = listBoardAttachments(doc)
    if (refs.length === 0) return []
    const held = new Set(
      (
        await db
          .selectFrom('project_attachments')
          .select('sha256')
          .where('project_id', '=', projectId)
          .execute()
      ).map((r) => r.sha256),
    )
    return refs.map((r) => ({ ...r, stored: held.has(r.sha256) }))
  } finally {
    doc.destroy()
  }
}

/**
 * The SHA-256 of every file a project's board document refers to, read from storage (the
 * snapshot and the log after it: what the server persisted is the truth, ARCHITECTURE
 * rule 2). For the collector.
 */
export async function referencedInProject(db: Db, projectId: string): Promise<Set<string>> {
  const doc = await loadStoredDoc(db, projectId)
  try {
    return referencedAttachmentHashes(doc)
  } finally {
    doc.destroy()
  }
}

export interface AttachmentCollectorOptions {
  db: Db
  store: BlobStore
  now: Clock
  logger: Logger
  /** TASKFLOW_ATTACHMENT_RETENTION_DAYS. */
  retentionDays: number
  /** How often `start()` runs a collection (default hourly). */
  intervalMs?: number
}

/**
 * Deletes files no board document has referred to for the retention period. Each run
 * reads the documents of the projects that hold files (only those), stamps each file
 * referenced or "unreferenced since now", forgets a project's files unreferenced for
 * longer than the retention, and deletes a stored file once no project holds it. The
 * retention covers undo, a trashed comment brought back, and a device that attached a
 * file offline and uploaded it before its document update arrived.
 */
export class AttachmentCollector {
  readonly #o: AttachmentCollectorOptions
  #timer: NodeJS.Timeout | undefined
  #running: Promise<unknown> = Promise.resolve()

  constructor(opts: AttachmentCollectorOptions) {
    this.#o = opts
  }

  /** Runs a collection now (after any running one); resolves with the deleted hashes. */
  collect(): Promise<string[]> {
    const run = this.#running.then(() => this.#collect())
    this.#running = run.catch((err) =>
      this.#o.logger.error('attachment collection failed', { err: String(err) }),
    )
    return run
  }

  async start(): Promise<void> {
    // No upload runs yet: whatever is in the temp folder is left over from a crash.
    await this.#o.store.clearTemp()
    this.#timer = setInterval(() => void this.collect(), this.#o.intervalMs ?? 3_600_000)
    this.#timer.unref()
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer)
    await this.#running
  }

  async #collect(): Promise<string[]> {
    const { db, store } = this.#o
    const now = this.#o.now()
    const projects = await db
      .selectFrom('project_attachments')
      .select('project_id')
      .distinct()
      .execute()
    for (const { project_id } of projects) {
      const refs = [...(await referencedInProject(db, project_id))]
      if (refs.length > 0) {
        await db
          .updateTable('project_attachments')
          .set({ unreferenced_since: null })
          .where('project_id', '=', project_id)
          .where('sha256', 'in', refs)
          .execute()
      }
      let stamp = db
        .updateTable('project_attachments')
        .set({ unreferenced_since: now })
        .where('project_id', '=', project_id)
        .where('unreferenced_since', 'is', null)
      if (refs.length > 0) stamp = stamp.where('sha256', 'not in', refs)
      await stamp.execute()
    }
    await db
      .deleteFrom('project_attachments')
      .where('unreferenced_since', '<=', now - this.#o.retentionDays * DAY)
      .execute()
    // Files no project holds any more (collected above, or their project was deleted).
    const orphans = await db
      .selectFrom('attachment_blobs as b')
      .select('b.sha256')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('project_attachments as pa')
              .select('pa.sha256')
              .whereRef('pa.sha256', '=', 'b.sha256'),
          ),
        ),
      )
      .execute()
    const deleted: string[] = []
    for (const { sha256 } of orphans) {
      await store.withLock(sha256, async () => {
        // An upload may have recorded it again since the query above.
        const held = await db
          .selectFrom('project_attachments')
          .select('project_id')
          .where('sha256', '=', sha256)
          .executeTakeFirst()
        if (held) return
        await db.deleteFrom('attachment_blobs').where('sha256', '=', sha256).execute()
        await store.remove(sha256)
        deleted.push(sha256)
      })
    }
    if (deleted.length > 0) this.#o.logger.info('attachments collected', { files: deleted.length })
    return deleted
  }
}
