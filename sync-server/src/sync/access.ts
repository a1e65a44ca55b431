import type * as Y from 'yjs'

/**
 * The one place that decides who may read or write a document. The sync hub calls
 * `authorize` when a socket connects and again on `SyncControl.reauthorize`; accounts code
 * supplies the real implementation.
 */
export type Access = 'write' | 'read'

export type AuthorizeResult =
  | { ok: true; access: Access; userId: string | null; sessionId: string | null }
  | { ok: false; code: 4401 | 4403 | 4404; reason: string }

export type Authorize = (
  token: string | null,
  docName: string,
) => AuthorizeResult | Promise<AuthorizeResult>

/** Implemented by the sync hub; accounts code calls it after membership/session/role changes. */
export interface SyncControl {
  /** Re-runs authorize for live connections matching the filter: closes denied ones with the result's code (within 1 s), downgrades write→read at once, upgrades read→write. */
  reauthorize(filter: { docName?: string; userId?: string; sessionId?: string }): Promise<void>
  /** Closes every connection of a document (e.g. project deleted) with code 4403 and drops the room without persisting. */
  closeDocument(docName: string, reason: string): void
  /** Deletes a document's stored log and snapshots (call after closeDocument). */
  deleteDocument(docName: string): Promise<void>
  /**
   * The document's log was written outside a room (a new project's board): reports and
   * activity derive it now instead of when someone first opens the board. Never throws.
   */
  documentWritten(docName: string): void
  /** Documents held in memory (instance health); absent on fakes. */
  readonly roomCount?: number
  /** The live documents, for the task API; absent on fakes. */
  readonly liveDocs?: LiveDocs
}

/**
 * Reading and editing a document as the sync hub holds it (SPEC 7.8): the task API's way in.
 * Both open the room when nobody has it open; it unloads again after the grace period.
 * Callers check the user's role first: these trust them.
 */
export interface LiveDocs {
  /**
   * Runs `read` on the live document, after committing what was accepted (what it shows is
   * durable). `read` must not change the document. Throws when the server is shutting down.
   */
  read<T>(docName: string, read: (doc: Y.Doc) => T): Promise<T>
  /**
   * Runs `edit` as `userId` under the user's API client ID and resolves once the update it
   * made is durable (it is relayed to connected clients at that moment). `edit` must change
   * the document only in transactions whose origin is the one given (board operations with
   * `ctx.origin`), so observers attribute it to the user. `changed` is false when it wrote
   * nothing (a refused operation). Rejects on shutdown or a storage failure.
   */
  write<T>(
    docName: string,
    userId: string,
    edit: (doc: Y.Doc, origin: unknown) => T,
  ): Promise<{ value: T; changed: boolean }>
}

/**
 * Development only (`TASKFLOW_INSECURE_OPEN=1`): everyone may write every document.
 * Never used unless that variable is set; the server logs a loud warning when it is.
 */
export const insecureOpenAuthorize: Authorize = () => ({
  ok: true,
  access: 'write',
  userId: null,
  sessionId: null,
})

/** The default until accounts exist: every connection is refused as unauthenticated. */
export const denyAllAuthorize: Authorize = () => ({
  ok: false,
  code: 4401,
  reason: 'authentication required',
})
