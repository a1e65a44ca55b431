/**
 * WebSocket close codes of `/sync/<docName>`. Providers reconnect after 1012;
 * 44xx codes mirror the HTTP status of the same meaning.
 * @example ws.on('close', (code) => code === CLOSE_CODES.forbidden && signOut())
 */
export const CLOSE_CODES = {
  /** Server restarting: reconnect. */
  serviceRestart: 1012,
  /** Malformed or unknown sync message. */
  badMessage: 4400,
  /** No or invalid session token. */
  unauthenticated: 4401,
  /** Not allowed on this document (not a member, forged authorship, ...). */
  forbidden: 4403,
  /** Unknown or invalid document name. */
  notFound: 4404,
  /** Frame larger than the configured maximum. */
  tooLarge: 4413,
  /** Too many sync requests from this socket, or too many sockets for this user or document. */
  tooManyRequests: 4429,
  /**
   * Too much output queued for this socket, its user or the server (a peer that stopped
   * reading). Outside 4400–4499, so y-websocket providers reconnect and resync.
   */
  overloaded: 4503,
} as const
export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES]
