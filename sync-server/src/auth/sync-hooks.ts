import type { Logger } from '../logger.js'
import type { SyncControl } from '../sync/access.js'

/**
 * What accounts code tells the sync hub after a change of who may see a document. Calls
 * never throw: the SQL change already happened, and a failed notification only delays
 * the effect until the client reconnects and is authorized afresh.
 */
export interface SyncHooks {
  reauthorize(filter: { docName?: string; userId?: string; sessionId?: string }): Promise<void>
  /** Closes every live socket of the document and drops its room without persisting. */
  closeDocument(docName: string, reason: string): void
  /** Deletes whatever the sync layer stores for the document (log, snapshots, projections). */
  deleteDocument(docName: string): Promise<void>
  /** The document's log was written outside a room (project creation): derive it now. */
  documentWritten(docName: string): void
}

/** Other live connections that must end with their session (notification streams). */
export interface SessionBoundStreams {
  reauthorize(filter: { userId?: string; sessionId?: string }): Promise<void>
}

/**
 * `getSync` is read on each call because the hub starts after the HTTP app is built.
 * `streams` hear every `reauthorize` too, so whatever ends a session for sync (logout,
 * password change or reset, account removal) also ends its notification streams.
 */
export function createSyncHooks(
  getSync: () => SyncControl | undefined,
  logger: Logger,
  streams?: SessionBoundStreams,
): SyncHooks {
  return {
    async reauthorize(filter) {
      try {
        await getSync()?.reauthorize(filter)
      } catch (err) {
        logger.error('sync reauthorize failed', { filter, err: String(err) })
      }
      try {
        await streams?.reauthorize(filter)
      } catch (err) {
        logger.error('stream reauthorize failed', { filter, err: String(err) })
      }
    },
    closeDocument(docName, reason) {
      try {
        getSync()?.closeDocument(docName, reason)
      } catch (err) {
        logger.error('sync closeDocument failed', { docName, err: String(err) })
      }
    },
    documentWritten(docName) {
      try {
        getSync()?.documentWritten(docName)
      } catch (err) {
        logger.error('sync documentWritten failed', { docName, err: String(err) })
      }
    },
    async deleteDocument(docName) {
      try {
        await getSync()?.deleteDocument(docName)
      } catch (err) {
        logger.error('sync deleteDocument failed', { docName, err: String(err) })
      }
    },
  }
}
