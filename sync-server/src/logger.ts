import { type Clock, systemClock } from './clock.js'

/** Structured JSON-lines logger. Tokens must never be passed in `fields` unredacted. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'
export type Logger = Record<
  Exclude<LogLevel, 'silent'>,
  (msg: string, fields?: Record<string, unknown>) => void
>

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 }

export function createLogger(
  level: LogLevel,
  write = (line: string) => process.stderr.write(line),
  now: Clock = systemClock,
): Logger {
  const log =
    (l: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: Record<string, unknown>) => {
      if (RANK[l] < RANK[level]) return
      write(
        `${JSON.stringify({ time: new Date(now()).toISOString(), level: l, msg, ...fields })}\n`,
      )
    }
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
}

/** Replaces the value of `token` query parameters so URLs can be logged. */
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]')
}
