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
