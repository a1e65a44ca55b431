import { z } from 'zod'

/**
 * Every setting of the server, parsed once from the environment. Nothing else reads
 * `process.env`. A bad value stops start-up with one line naming the variable.
 */
const schema = z.object({
  /** HTTP + WebSocket port (0 = any free port, used by tests). */
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  /** Interface to listen on. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** SQLite database file; its folder is created when missing. */
  TASKFLOW_DB: z.string().min(1).default('./data/taskflow.db'),
  /** `production` refuses insecure settings. */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Allow every sync connection without a token (development only; logged loudly). */
  TASKFLOW_INSECURE_OPEN: z.enum(['0', '1']).default('0'),
  /** Largest accepted WebSocket frame, in bytes (default 16 MiB). */
  TASKFLOW_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(16 * 1024 * 1024),
  /** Largest accepted HTTP body, in bytes (default 1 MiB). */
  TASKFLOW_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /** How long an empty room stays in memory after its last client left (ms). */
  TASKFLOW_ROOM_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
  /** Compact a document's log into a snapshot past this many updates... */
  TASKFLOW_COMPACT_UPDATES: z.coerce.number().int().min(1).default(500),
  /** ...or past this many bytes of updates. */
  TASKFLOW_COMPACT_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(4 * 1024 * 1024),
  /** `debug` | `info` | `warn` | `error` | `silent`. */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
})

export type Config = Readonly<z.infer<typeof schema>>

export class ConfigError extends Error {}

/** Parses `env` into a frozen config. Throws ConfigError with a one-line message. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env)
  if (!result.success) {
    const issue = result.error.issues[0]!
    const name = String(issue.path[0] ?? 'environment')
    throw new ConfigError(`Invalid ${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`)
  }
  const config = result.data
  if (config.NODE_ENV === 'production' && config.TASKFLOW_INSECURE_OPEN === '1') {
    throw new ConfigError('Invalid TASKFLOW_INSECURE_OPEN=1: refused when NODE_ENV=production')
  }
  return Object.freeze(config)
}
