/**
 * Error codes of the REST API. Every failed request answers
 * `{"error": {"code": ErrorCode, "message": string}}`.
 * @example if (body.error.code === ERROR_CODES.notFound) showNotFound()
 */
export const ERROR_CODES = {
  badRequest: 'bad_request',
  validation: 'validation_failed',
  /** A new password that is common, leaked or otherwise easy to guess; the message says why. */
  weakPassword: 'weak_password',
  unauthenticated: 'unauthenticated',
  forbidden: 'forbidden',
  /**
   * A right password for an account whose address is not verified yet (403): open the
   * e-mailed link, or ask for a new one with `POST /auth/verify-email/resend`.
   */
  emailUnverified: 'email_unverified',
  notFound: 'not_found',
  conflict: 'conflict',
  /** A link that existed but can no longer be used (an expired or already used invitation). */
  gone: 'gone',
  /**
   * An `Idempotency-Key` already used by you for a different request (422), or for one
   * still running (409): see docs/api.md "Idempotency".
   */
  idempotencyKeyReused: 'idempotency_key_reused',
  idempotencyKeyInFlight: 'idempotency_key_in_flight',
  payloadTooLarge: 'payload_too_large',
  /** An attachment upload that would take the project past its storage quota (413). */
  quotaExceeded: 'quota_exceeded',
  /** An upload whose bytes do not match the SHA-256 or size the client declared (400). */
  hashMismatch: 'hash_mismatch',
  rateLimited: 'rate_limited',
  /** The server cannot take the request right now (starting or shutting down): retry. */
  unavailable: 'service_unavailable',
  internal: 'internal_error',
} as const
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES]

/** The body of every error response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string }
}
