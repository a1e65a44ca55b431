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
} as const
export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES]
