import { AsyncLocalStorage } from 'node:async_hooks'
import { type Clock, systemClock } from './clock.js'

/**
 * Structured JSON-lines logger. Secrets are redacted here, by configuration, whatever a
 * caller passes: values under secret-looking keys, and tokens inside URLs and paths.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'
export type Logger = Record<
  Exclude<LogLevel, 'silent'>,
  (msg: string, fields?: Record<string, unknown>) => void
>

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 }

/**
 * Fields every line logged inside the current request or connection carries (`requestId`,
 * `conn`): set with `logContext.run(fields, fn)` around the work.
 */
export const logContext = new AsyncLocalStorage<Record<string, unknown>>()

export interface RedactionRules {
  /** A field whose key matches is logged as `[redacted]`, at any depth. */
  secretKeys: RegExp
  /** Applied to every string value: replaces tokens inside URLs and paths. */
  redactString: (value: string) => string
}

export const DEFAULT_REDACTION: RedactionRules = {
  secretKeys: /token|password|passwd|secret|authorization|cookie|api[-_]?key|smtp_?url/i,
  redactString: redactUrl,
}

export function createLogger(
  level: LogLevel,
  write = (line: string) => process.stderr.write(line),
  now: Clock = systemClock,
  redaction: RedactionRules = DEFAULT_REDACTION,
): Logger {
  const log =
    (l: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: Record<string, unknown>) => {
      if (RANK[l] < RANK[level]) return
      const line = {
        time: new Date(now()).toISOString(),
        level: l,
        msg: redaction.redactString(msg),
        ...logContext.getStore(),
        ...(fields && (redactValue(fields, redaction, 0) as Record<string, unknown>)),
      }
      write(`${JSON.stringify(line)}\n`)
    }
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
}

const REDACTED = '[redacted]'

function redactValue(value: unknown, rules: RedactionRules, depth: number): unknown {
  if (typeof value === 'string') return rules.redactString(value)
  if (value === null || typeof value !== 'object' || depth > 4) return value
  if (Array.isArray(value)) return value.map((v) => redactValue(v, rules, depth + 1))
  if (value instanceof Error) return rules.redactString(String(value))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    out[k] = rules.secretKeys.test(k) ? REDACTED : redactValue(v, rules, depth + 1)
  }
  return out
}

/**
 * Replaces tokens in URLs, paths and free text so they can be logged: the value of
 * token-like query parameters (sync `?token=`, reset and unsubscribe links), the token
 * segment of invitation links (`/invitations/<token>`), and `Bearer <token>`.
 */
export function redactUrl(url: string): string {
  return url
    .replace(/([?&](?:[\w-]*token|key|secret|code|sig)=)[^&#\s"']*/gi, `$1${REDACTED}`)
    .replace(/(\/invitations\/)(?!lookup\b)[^/?#\s"']+/gi, `$1${REDACTED}`)
    .replace(/(bearer\s+)[^\s"',]+/gi, `$1${REDACTED}`)
}
