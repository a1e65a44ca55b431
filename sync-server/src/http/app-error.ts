import type { ErrorCode } from '@taskflow/api'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** The one error type routes throw; `app.onError` renders it as the error shape. */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}
