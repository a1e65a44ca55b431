import type { ErrorCode } from '@taskflow/api'
import { z } from 'zod'
import { config } from '../config'

/**
 * A failed request. `code` is the server's error code, or `network` when the server was
 * not reached (offline), so callers can fall back to local data.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network' | 'bad_response',
    message: string,
    /** Seconds the server asked to wait (429 `Retry-After`), when it said. */
    readonly retryAfter?: number,
  ) {
    super(message)
    this.name = 'ApiError'
  }

  get isNetwork(): boolean {
    return this.code === 'network'
  }
}

type TokenSource = () => string | null
type UnauthorizedHandler = () => void

let tokenSource: TokenSource = () => null
let onUnauthorized: UnauthorizedHandler = () => {}

/** Wires the session into the client; called once at start-up (avoids an import cycle). */
export function configureApiClient(opts: {
  token: TokenSource
  onUnauthorized: UnauthorizedHandler
}): void {
  tokenSource = opts.token
  onUnauthorized = opts.onUnauthorized
}

/** Reports a credential the server refused elsewhere (the sync socket closing with 4401). */
export function notifyUnauthorized(): void {
  if (tokenSource()) onUnauthorized()
}

/** The schema of a `204 No Content` answer (its body reads as `null`). */
export const NO_CONTENT = z.null()

interface RequestOptions<T> {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  body?: unknown
  /**
   * Parses the JSON body: the route's response schema from `@taskflow/api` (responses are
   * data from outside, never trusted as typed).
   */
  schema: z.ZodType<T>
}

/** Headers for a raw `fetch` to the API (streams): the Bearer token when signed in. */
export function authHeaders(): Record<string, string> {
  const token = tokenSource()
  return token ? { authorization: `Bearer ${token}` } : {}
}

/** Calls the REST API. Throws ApiError with the server's code and message on failure. */
export async function apiRequest<T>(path: string, opts: RequestOptions<T>): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  const token = tokenSource()
  if (token) headers.authorization = `Bearer ${token}`
  if (opts.body !== undefined) headers['content-type'] = 'application/json'
  let res: Response
  try {
    res = await fetch(`${config.apiBase}${path}`, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    })
  } catch {
    throw new ApiError(0, 'network', 'You are offline or the server cannot be reached.')
  }
  const json: unknown = res.status === 204 ? null : await res.json().catch(() => null)
  return readAnswer(res.status, json, res.headers.get('retry-after'), Boolean(token), opts.schema)
}

/** Progress of an upload: bytes sent so far, then `done` once the server has all of it. */
export interface UploadProgress {
  loaded: number
  total: number
  /** Every byte is sent; the server is working on it (e.g. building an imported board). */
  sent: boolean
}

/**
 * `apiRequest` for large JSON bodies, reporting upload progress (fetch cannot: request
 * streams give no progress and need HTTP/2). Same errors and parsing as `apiRequest`.
 */
export function apiUpload<T>(
  path: string,
  opts: { body: unknown; schema: z.ZodType<T>; onProgress: (p: UploadProgress) => void },
): Promise<T> {
  const token = tokenSource()
  const payload = JSON.stringify(opts.body)
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', `${config.apiBase}${path}`)
    xhr.setRequestHeader('accept', 'application/json')
    xhr.setRequestHeader('content-type', 'application/json')
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`)
    xhr.upload.onprogress = (e) =>
      opts.onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : 0, sent: false })
    xhr.upload.onload = () => opts.onProgress({ loaded: 1, total: 1, sent: true })
    xhr.onerror = () =>
      reject(new ApiError(0, 'network', 'You are offline or the server cannot be reached.'))
    xhr.onload = () => {
      let json: unknown = null
      try {
        json = xhr.status === 204 ? null : JSON.parse(xhr.responseText)
      } catch {}
      try {
        resolve(
          readAnswer(
            xhr.status,
            json,
            xhr.getResponseHeader('retry-after'),
            Boolean(token),
            opts.schema,
          ),
        )
      } catch (err) {
        reject(err)
      }
    }
    xhr.send(payload)
  })
}

/** One reading of an answer for fetch and XHR alike: ApiError on failure, else parsed. */
function readAnswer<T>(
  status: number,
  json: unknown,
  retryAfterHeader: string | null,
  hadToken: boolean,
  schema: z.ZodType<T>,
): T {
  if (status < 200 || status >= 300) {
    const err = readErrorBody(json)
    if (status === 401 && hadToken) onUnauthorized()
    const retryAfter = Number.parseInt(retryAfterHeader ?? '', 10)
    throw new ApiError(
      status,
      err?.code ?? 'bad_response',
      err?.message ?? `Request failed (${status})`,
      Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
    )
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) {
    throw new ApiError(status, 'bad_response', 'The server sent an unexpected response.')
  }
  return parsed.data
}

function readErrorBody(json: unknown): { code: ErrorCode; message: string } | null {
  if (typeof json !== 'object' || json === null || !('error' in json)) return null
  const error = (json as { error: unknown }).error
  if (typeof error !== 'object' || error === null) return null
  const { code, message } = error as { code?: unknown; message?: unknown }
  if (typeof code !== 'string' || typeof message !== 'string') return null
  return { code: code as ErrorCode, message }
}

/** A message fit to show a person for any thrown value; a 429 says when to try again. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError && err.code === 'rate_limited' && err.retryAfter !== undefined) {
    return `${err.message} (try again in ${formatWait(err.retryAfter)}).`
  }
  if (err instanceof Error) return err.message
  return 'Something went wrong.'
}

/** "45 seconds", "3 minutes", "2 hours" — rounded up, so the user never retries too early. */
export function formatWait(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
  if (seconds < 60) return unit(Math.max(1, Math.ceil(seconds)), 'second')
  if (seconds < 3600) return unit(Math.ceil(seconds / 60), 'minute')
  return unit(Math.ceil(seconds / 3600), 'hour')
}
