import { z } from 'zod'
import { ERROR_CODES } from './errors.js'

/*
 * The route registry: every `/api/v1` route described once — method, path, auth, request
 * schemas and a response schema per status. The server validates requests with these very
 * schemas (`validate('json', route.body)`), the app parses answers with them, the OpenAPI
 * document (`GET /api/v1/openapi.json`) is generated from them, and the server's contract
 * tests check every route exists here and every answer the tests see matches.
 *
 * Adding a route (see also docs/api.md, "Adding a route"):
 *  1. Define its request and response schemas in `packages/api/src/<area>.ts` (zod).
 *  2. Describe it with `defineRoute({...})` in `<area>.contract.ts` and add it to the area's
 *     list (or a new list in `routes.ts`).
 *  3. In the server's route file, validate with those schemas:
 *     `validate('param', ...)`, `validate('query', ...)`, `validate('json', ...)`.
 *  The contract tests then fail until the route and every status it answers is described.
 */

/**
 * Who may call a route: `none` (public); `session` (`Authorization: Bearer <session token>`
 * only: an API token gets 403); `token` (a session token or a personal API token,
 * `Bearer tfp_…`: read tokens GET only, project-limited tokens their projects only).
 * The server's token policy (sync-server/src/api-tokens/token-policy.ts) decides what a
 * token reaches; the contract test fails when a route's `auth` says otherwise.
 * Finer checks (project role, instance admin) are in `access` and the route's 403 answer.
 */
export type RouteAuth = 'none' | 'session' | 'token'

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'

/** The body of every error response (`code` from `ERROR_CODES`). */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(Object.values(ERROR_CODES) as [string, ...string[]]),
      message: z.string(),
    }),
  })
  .meta({ id: 'ErrorBody', description: 'The body of every error response.' })

/** A non-JSON answer, or one without a body: a page, a stream, a redirect, 204. */
export interface OtherResponse {
  description: string
  /** `text/html`, `text/event-stream`; absent: no body (204, 302). */
  contentType?: string
  /** Other content types it may have instead (a file's sniffed type), each with a line. */
  alternatives?: Record<string, string>
  /** Response headers worth documenting; see `JsonResponse.headers`. */
  headers?: z.ZodObject
}

export interface JsonResponse {
  description: string
  schema: z.ZodType
  /**
   * Other content types the same status may answer with instead of JSON (chosen by the
   * request, e.g. `?format=csv`), each with a line saying what it holds:
   * `{ 'text/csv': 'One row per task' }`. Documented as text; the response check accepts them.
   */
  alternatives?: Record<string, string>
  /**
   * Response headers worth documenting, names in lower case
   * (`z.object({ 'idempotent-replayed': z.literal('true').optional() })`); the response
   * check validates the answer's headers against it.
   */
  headers?: z.ZodObject
}

export type ResponseSpec = JsonResponse | OtherResponse

/** What a caller writes: a schema alone (described as "OK"), or a full response spec. */
export type ResponseInput = z.ZodType | ResponseSpec

export interface RouteInput {
  method: HttpMethod
  /** Hono style, relative to `/api/v1`: `/projects/:id/members`. */
  path: string
  summary: string
  description?: string
  /** The area; the reference groups routes by it. */
  tag: string
  auth: RouteAuth
  /** Who, beyond `auth`: `viewer`, `admin`, `owner`, `instance admin`… (prose for the reference). */
  access?: string
  params?: z.ZodObject
  /**
   * The query schema. Routes that take none validate `NoQuerySchema` (unknown parameters are
   * refused); `false` means the route reads no query and rejects none (third-party redirects).
   */
  query?: z.ZodObject | false
  /**
   * Request headers the route reads, names in lower case as Hono's `validate('header', …)`
   * sees them (`z.object({ 'idempotency-key': IdempotencyKeySchema.optional() })`); not
   * strict (every request carries other headers). The reference spells them `Idempotency-Key`.
   */
  headers?: z.ZodObject
  body?: z.ZodType
  /** Success (and other non-error) answers by status. */
  responses: Record<number, ResponseInput>
  /**
   * Error statuses besides the standard ones (400 on validated input; 401, 403 and 429 when
   * `auth` is `session` or `token`; 413 on a body), each answered with `ErrorBody`; the text
   * says when (a route's own 403/429 text is joined with the standard token one).
   */
  errors?: Record<number, string>
}

export interface RouteContract extends Omit<RouteInput, 'responses' | 'errors' | 'query'> {
  query: z.ZodObject | false
  responses: Record<number, ResponseSpec>
  /** `get_projects_id_members`: unique, stable, used as the OpenAPI operationId. */
  operationId: string
}

/** For routes that take no query parameters: unknown ones are rejected, not ignored. */
export const NoQuerySchema = z.object({}).strict()

const STANDARD_ERRORS: Record<number, string> = {
  400: 'Invalid input (`validation_failed`, or `bad_request` for malformed JSON)',
  401: 'No, unknown, expired or revoked session or API token (`unauthenticated`)',
  403: 'Not allowed (`forbidden`)',
  404: 'Not found (`not_found`)',
  409: 'Conflicts with the current state (`conflict`)',
  410: 'No longer usable (`gone`)',
  413: 'Body over `TASKFLOW_MAX_BODY_BYTES` (`payload_too_large`)',
  429: 'Too many requests (`rate_limited`); `Retry-After` gives the seconds to wait',
  500: 'An unexpected server error (`internal_error`); logged, details are not disclosed',
}

/** The 403 and 429 every signed-in route can answer to an API token, by `auth`. */
const TOKEN_ERRORS: Record<'session' | 'token', Record<number, string>> = {
  session: {
    403: 'Called with an API token: this route needs a signed-in session (`forbidden`)',
    429: 'Too many requests with this API token (`rate_limited`); `Retry-After` gives the seconds to wait',
  },
  token: {
    403: 'A read-only API token on a write, or a project-limited token on a route spanning all projects (`forbidden`)',
    429: 'Too many requests with this API token (`rate_limited`); `Retry-After` gives the seconds to wait',
  },
}

/** True for a response described by a JSON schema. */
export function isJsonResponse(r: ResponseSpec): r is JsonResponse {
  return 'schema' in r
}

/**
 * Describes one route. Adds the standard error answers: 400 when anything is validated,
 * 401, 403 and 429 (API tokens) for `session` and `token` routes, 413 when it takes a body,
 * and 500 (any route may fail).
 * @example defineRoute({ method: 'get', path: '/projects/:id', tag: 'Projects', auth: 'session',
 *   summary: 'Get a project', params: ProjectParamsSchema, responses: { 200: ProjectSchema } })
 */
export function defineRoute(input: RouteInput): RouteContract {
  const responses: Record<number, ResponseSpec> = {}
  for (const [status, r] of Object.entries(input.responses)) {
    responses[Number(status)] = r instanceof z.ZodType ? { description: 'OK', schema: r } : r
  }
  const query = input.query ?? NoQuerySchema
  const errors: Record<number, string> = { ...input.errors }
  if (input.params || query || input.headers || input.body) errors[400] ??= STANDARD_ERRORS[400]!
  if (input.auth !== 'none') {
    errors[401] ??= STANDARD_ERRORS[401]!
    for (const [status, text] of Object.entries(TOKEN_ERRORS[input.auth])) {
      const own = errors[Number(status)]
      errors[Number(status)] = own ? `${own}; or: ${text}` : text
    }
  }
  if (input.body) errors[413] ??= STANDARD_ERRORS[413]!
  errors[500] ??= STANDARD_ERRORS[500]!
  for (const [status, description] of Object.entries(errors)) {
    responses[Number(status)] ??= { description, schema: ErrorBodySchema }
  }
  const operationId = `${input.method}${input.path.replace(/[/:-]+/g, '_')}`.replace(/_$/, '')
  return { ...input, query, responses, operationId }
}

/** `idempotency-key` → `Idempotency-Key`: how the reference spells a header name. */
export function headerName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase())
}

/** `/projects/:id` → `/projects/{id}` (OpenAPI's template syntax). */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')
}

/**
 * Finds the route that answers `method path` (path relative to `/api/v1`), preferring
 * literal segments over parameters (`/projects/import/trello` over `/projects/:id/…`).
 * @example matchRoute(API_ROUTES, 'get', '/projects/6f0c…')?.operationId // 'get_projects_id'
 */
export function matchRoute<R extends Pick<RouteContract, 'method' | 'path'>>(
  routes: readonly R[],
  method: string,
  path: string,
): R | undefined {
  const segments = path.split('/')
  let best: R | undefined
  let bestScore = -1
  for (const r of routes) {
    if (r.method !== method.toLowerCase()) continue
    const pattern = r.path.split('/')
    if (pattern.length !== segments.length) continue
    let score = 0
    let ok = true
    for (let i = 0; i < pattern.length && ok; i++) {
      if (pattern[i]!.startsWith(':')) ok = segments[i] !== ''
      else if (pattern[i] === segments[i]) score++
      else ok = false
    }
    if (ok && score > bestScore) {
      best = r
      bestScore = score
    }
  }
  return best
}
