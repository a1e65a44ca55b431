/** Why an operation was refused. Refused operations change nothing. */
export type BoardErrorCode = 'not_found' | 'invalid' | 'conflict' | 'newer_schema'

export interface BoardError {
  code: BoardErrorCode
  message: string
}

/**
 * Outcome of every board operation: expected failures are returned, never thrown.
 * @example const r = createTask(doc, { columnId, title: 'Write docs' }); if (!r.ok) alert(r.error.message)
 */
export type Result<T> = { ok: true; value: T } | { ok: false; error: BoardError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = (code: BoardErrorCode, message: string): { ok: false; error: BoardError } => ({
  ok: false,
  error: { code, message },
})
