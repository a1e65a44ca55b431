import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

// app/dist of this checkout, the same from src/ (tsx) and dist/ (built).
const DEFAULT_APP_DIR = fileURLToPath(new URL('../../app/dist', import.meta.url))

/**
 * Every setting of the server, parsed once from the environment. Nothing else reads
 * `process.env`. A bad value stops start-up with one line naming the variable.
 */
export const configSchema = z.object({
  /** HTTP + WebSocket port (0 = any free port, used by tests). */
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  /** Interface to listen on. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** SQLite database file; its folder is created when missing. A relative path is read from the folder `pnpm start` was run in. */
  TASKFLOW_DB: z.string().min(1).default('./data/taskflow.db'),
  /** `postgres://user@host:port/db` = store everything in PostgreSQL instead of the SQLite file (TASKFLOW_DB is then unused; see docs/operations.md, "Choosing PostgreSQL"). Unset = SQLite. */
  TASKFLOW_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** `production` refuses insecure settings. */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** `1` = every sync connection may read and write every document without a token. Development only: logged as a warning at start, refused when NODE_ENV=production. */
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
  /** Largest accepted body of `POST /api/v1/projects/import/*` (Trello, CSV and TaskFlow files), in bytes (default 64 MiB). */
  TASKFLOW_IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024 * 1024),
  /** Derive reports, activity, notifications and webhooks this long after a document's first unprocessed commit (ms). */
  TASKFLOW_PROJECTION_DEBOUNCE_MS: z.coerce.number().int().min(0).max(60_000).default(500),
  /** How often the notification scheduler looks for due tasks, digests and unsent mail (ms). */
  TASKFLOW_NOTIFY_TICK_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /** Hour of the day (UTC, 0–23) after which the daily notification digest is e-mailed. */
  TASKFLOW_DIGEST_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(8),
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
  /** Minimum ms between two relays of one room's updates (0 = relay each commit at once; raise to trade latency for CPU in very large rooms). */
  TASKFLOW_FANOUT_BATCH_MS: z.coerce.number().int().min(0).max(1000).default(0),
  /** Presence client ids one sync connection may hold at once; states for more are dropped (sync SPEC 4.7). */
  TASKFLOW_AWARENESS_MAX_CLIENTS: z.coerce.number().int().min(1).max(1000).default(4),
  /** Largest presence state one client may publish, in bytes of JSON; larger ones are dropped (sync SPEC 4.7). */
  TASKFLOW_AWARENESS_MAX_STATE_BYTES: z.coerce
    .number()
    .int()
    .min(256)
    .max(1024 * 1024)
    .default(4096),
  /** Unsent output queued for one sync socket beyond which it is closed with 4503 (default 64 MiB). */
  TASKFLOW_SOCKET_OUTPUT_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .default(64 * 1024 * 1024),
  /** Unsent output across one user's sync sockets beyond which their largest backlog is closed with 4503 (default 128 MiB). */
  TASKFLOW_USER_OUTPUT_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .default(128 * 1024 * 1024),
  /** Unsent output across all sync sockets beyond which the largest backlogs are closed with 4503 (default 1 GiB). */
  TASKFLOW_PROCESS_OUTPUT_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .default(1024 * 1024 * 1024),
  /** Sync step 1 messages one socket may send per minute; one more closes it with 4429. */
  TASKFLOW_SYNC_STEP1_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** A client whose state vector misses more Yjs clocks (about characters or field writes) than this is sent the whole stored document (shared, no encoding) instead of a diff computed for it. */
  TASKFLOW_SYNC_DIFF_MAX_CLOCKS: z.coerce.number().int().min(0).default(20_000),
  /** Open sync sockets per user (all documents); one more is closed with 4429. */
  TASKFLOW_MAX_SOCKETS_PER_USER: z.coerce.number().int().min(1).default(64),
  /** Open sync sockets per document (all users); one more is closed with 4429. */
  TASKFLOW_MAX_SOCKETS_PER_DOC: z.coerce.number().int().min(1).default(2000),
  /** `normal` = SQLite WAL with synchronous=NORMAL: every committed update survives kill -9, but power loss or an OS crash may lose the last commits. `full` = fsync at every group commit, so those survive too, at the cost measured in docs/benchmarks.md (see Durability below). */
  TASKFLOW_SYNC_DURABILITY: z.enum(['normal', 'full']).default('normal'),
  /** Days a session token stays valid after sign-in. */
  TASKFLOW_SESSION_TTL_DAYS: z.coerce.number().min(0.001).max(3650).default(30),
  /** Minutes a password-reset link stays valid (single use). */
  TASKFLOW_RESET_TTL_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
  /** `required` = a sign-up answers 202 alike for new and known addresses and the account signs in only after opening an e-mailed link (no account enumeration); `off` = a sign-up answers 201 with a session, and 409 for a known address (which reveals who has an account); `auto` = `required` exactly when SMTP_URL is set (without a mail transport no link could arrive). */
  TASKFLOW_EMAIL_VERIFICATION: z.enum(['auto', 'required', 'off']).default('auto'),
  /** Hours an e-mail verification link (sent at sign-up) stays valid (single use). */
  TASKFLOW_VERIFY_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(48),
  /** Wrong passwords one address may try on one account before it must wait (login throttle). */
  TASKFLOW_LOGIN_FREE_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  /** First wait after those, in seconds; it doubles with each further wrong password. */
  TASKFLOW_LOGIN_BACKOFF_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Longest wait between two attempts from one address on one account, in seconds. */
  TASKFLOW_LOGIN_BACKOFF_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
  /** Wrong passwords on one account in 15 min (all addresses) after which every address that failed waits after each failure; fresh addresses never do. */
  TASKFLOW_LOGIN_ACCOUNT_CEILING: z.coerce.number().int().min(1).max(100_000).default(20),
  /** Least zxcvbn score (0–4) of a new password; 3 ≈ 10^8 guesses. 0 = accept any 8–256 characters. */
  TASKFLOW_PASSWORD_MIN_SCORE: z.coerce.number().int().min(0).max(4).default(3),
  /** Projects one account may create per hour (sliding window); more answer 429. */
  TASKFLOW_PROJECTS_PER_HOUR: z.coerce.number().int().min(1).default(20),
  /** Invitations and member additions (each one e-mails someone) one account may make per hour. */
  TASKFLOW_INVITES_PER_HOUR: z.coerce.number().int().min(1).default(30),
  /** Requests one personal API token may make per minute (sliding window); more answer 429 with Retry-After. */
  TASKFLOW_API_TOKEN_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(300),
  /** Invitations and member additions per project per day, whoever makes them. */
  TASKFLOW_INVITES_PER_PROJECT_PER_DAY: z.coerce.number().int().min(1).default(100),
  /** Days a project invitation link stays valid. */
  TASKFLOW_INVITE_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  /** Public base URL of the app, used to build links in e-mails; unset = `http://localhost:PORT` (a warning at start in production). */
  TASKFLOW_PUBLIC_URL: z
    .url()
    .optional()
    .transform((u) => u?.replace(/\/+$/, '')),
  /** `smtp(s)://user:pass@host:port` to send mail; unset = write mail to the outbox table and log it. Secret. */
  SMTP_URL: z.url().optional(),
  /** Sender of outgoing mail. */
  TASKFLOW_MAIL_FROM: z.string().min(3).default('TaskFlow <no-reply@localhost>'),
  /** Comma-separated e-mail addresses whose accounts are instance admins (besides the first account registered); unset = only that one. */
  TASKFLOW_ADMIN_EMAILS: z.string().default(''),
  /** `1` = take the client IP for rate limits from X-Forwarded-For (only behind a trusted proxy). */
  TASKFLOW_TRUST_PROXY: z.enum(['0', '1']).default('0'),
  /** Built web app served at `/` (SPA); empty = serve no app. A relative path is read from the folder `pnpm start` was run in. */
  TASKFLOW_APP_DIR: z.string().default(DEFAULT_APP_DIR),
  /** `1` = serve Prometheus metrics at `GET /metrics` (sync, HTTP, mail, derivation lag, process). */
  TASKFLOW_METRICS: z.enum(['0', '1']).default('0'),
  /** Bearer token `GET /metrics` requires (401 without it); unset = open to whoever reaches the port. Secret. */
  TASKFLOW_METRICS_TOKEN: z.string().min(16).optional(),
  /** OpenID Provider for single sign-on (e.g. `https://keycloak.example.org/realms/acme`); unset = no SSO. Register `<TASKFLOW_PUBLIC_URL>/api/v1/auth/oidc/callback` as its redirect URI. */
  TASKFLOW_OIDC_ISSUER: z
    .url()
    .optional()
    .transform((u) => u?.replace(/\/+$/, '')),
  /** Client ID TaskFlow is registered under at the OpenID Provider (required with TASKFLOW_OIDC_ISSUER). */
  TASKFLOW_OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** Client secret from the OpenID Provider (client_secret_basic); unset = a public client that proves itself by PKCE alone. Secret. */
  TASKFLOW_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Space-separated scopes asked of the OpenID Provider; must include `openid` and give the `email` claim. */
  TASKFLOW_OIDC_SCOPES: z
    .string()
    .default('openid email profile')
    .refine((s) => s.split(/\s+/).includes('openid'), 'must include openid'),
  /** Name of the provider on the login page's button: "Sign in with <label>". */
  TASKFLOW_OIDC_BUTTON_LABEL: z.string().trim().min(1).max(60).default('single sign-on'),
  /** `1` = sign-in only through the OpenID Provider: the login page hides the password form and the server refuses password sign-in, sign-up and resets. */
  TASKFLOW_OIDC_ONLY: z.enum(['0', '1']).default('0'),
  /** `1` = accept an `http://` TASKFLOW_OIDC_ISSUER (tokens travel unencrypted). Tests and local development only: refused when NODE_ENV=production. */
  TASKFLOW_OIDC_ALLOW_HTTP: z.enum(['0', '1']).default('0'),
  /** `1` = webhook URLs may resolve to loopback, private (RFC 1918, fc00::/7), link-local, CGNAT and other non-public addresses (self-hosters calling internal services; tests). Off, such URLs are refused when saved and again at every delivery. */
  TASKFLOW_WEBHOOK_ALLOW_PRIVATE: z.enum(['0', '1']).default('0'),
  /** Webhook deliveries in flight at once (all endpoints). */
  TASKFLOW_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /** Folder of attachment files (content-addressed by SHA-256, see docs/operations.md for backups); created when missing. Unset = `files/` beside TASKFLOW_DB (a per-process temporary folder when the database is `:memory:`). A relative path is read from the folder `pnpm start` was run in. */
  TASKFLOW_FILES: z.string().min(1).optional(),
  /** Largest attachment one upload may store, in MiB; larger ones answer 413 `payload_too_large`. */
  TASKFLOW_MAX_UPLOAD_MB: z.coerce.number().min(0.001).max(10_240).default(25),
  /** Attachment storage per project, in MiB (each file counted once per project); an upload past it answers 413 `quota_exceeded`. */
  TASKFLOW_PROJECT_QUOTA_MB: z.coerce.number().min(0.001).max(10_485_760).default(1024),
  /** Days an uploaded file no board document refers to is kept (an undo or a device still offline may refer to it again) before it is deleted. */
  TASKFLOW_ATTACHMENT_RETENTION_DAYS: z.coerce.number().min(0).max(3650).default(30),
  /** Days of board history kept (checkpoints plus every update between them, for `?at=`, task history and restore; docs/operations.md "Board history"). `0` = none: compaction drops the log as before. */
  TASKFLOW_HISTORY_DAYS: z.coerce.number().int().min(0).max(3650).default(90),
  /** `redis://[user:pass@]host:port[/db]` (or `rediss://`): several server processes on one database serve the same projects, relaying updates, presence, access changes and notification streams through Redis pub/sub and sharing rate limits (docs/operations.md "Several nodes"); unset = one node, everything in process. Secret. */
  TASKFLOW_REDIS_URL: z
    .url()
    .refine((u) => /^rediss?:\/\//.test(u), 'must start with redis:// or rediss://')
    .optional(),
  /** Prefix of every Redis key and channel this deployment uses (several deployments on one Redis). */
  TASKFLOW_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/)
    .default('taskflow'),
  /** `debug`, `info`, `warn`, `error` or `silent`. */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
})

type Parsed = z.infer<typeof configSchema>
export type Config = Readonly<
  Omit<Parsed, 'TASKFLOW_PUBLIC_URL' | 'TASKFLOW_FILES'> & {
    TASKFLOW_PUBLIC_URL: string
    /** Absolute folder of attachment files (defaulted beside the database). */
    TASKFLOW_FILES: string
    /** TASKFLOW_PUBLIC_URL was not set: links in mail point at localhost. */
    publicUrlDefaulted: boolean
  }
>

export class ConfigError extends Error {}

/** Parses `env` into a frozen config. Throws ConfigError with a one-line message. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env)
  if (!result.success) {
    const issue = result.error.issues[0]!
    const name = String(issue.path[0] ?? 'environment')
    throw new ConfigError(`Invalid ${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`)
  }
  const parsed = result.data
  // `pnpm start` runs the server in sync-server/, but people give paths relative to where
  // they typed the command (pnpm and npm pass it as INIT_CWD).
  const base = env.INIT_CWD ?? process.cwd()
  const config = {
    ...parsed,
    TASKFLOW_PUBLIC_URL: parsed.TASKFLOW_PUBLIC_URL ?? `http://localhost:${parsed.PORT}`,
    publicUrlDefaulted: parsed.TASKFLOW_PUBLIC_URL === undefined,
    TASKFLOW_FILES: filesFolder(parsed.TASKFLOW_FILES, parsed.TASKFLOW_DB, base),
  }
  if (config.TASKFLOW_DB !== ':memory:') config.TASKFLOW_DB = resolve(base, config.TASKFLOW_DB)
  if (config.TASKFLOW_APP_DIR) config.TASKFLOW_APP_DIR = resolve(base, config.TASKFLOW_APP_DIR)
  if (config.NODE_ENV === 'production' && config.TASKFLOW_INSECURE_OPEN === '1') {
    throw new ConfigError('Invalid TASKFLOW_INSECURE_OPEN=1: refused when NODE_ENV=production')
  }
  checkOidc(config)
  return Object.freeze(config)
}

/** TASKFLOW_FILES, else `files/` beside the database, else (in-memory database) a temp folder. */
function filesFolder(files: string | undefined, dbPath: string, base: string): string {
  if (files) return resolve(base, files)
  if (dbPath === ':memory:') return join(tmpdir(), `taskflow-files-${process.pid}`)
  return join(dirname(resolve(base, dbPath)), 'files')
}

/**
 * Whether sign-up must prove the address by an e-mailed link before the account signs in
 * (TASKFLOW_EMAIL_VERIFICATION; `auto` asks for it only when mail can actually be sent).
 */
export function emailVerificationRequired(
  config: Pick<Config, 'TASKFLOW_EMAIL_VERIFICATION' | 'SMTP_URL'>,
): boolean {
  const mode = config.TASKFLOW_EMAIL_VERIFICATION
  return mode === 'required' || (mode === 'auto' && config.SMTP_URL !== undefined)
}

/** SSO settings that only make sense together (one line naming the variable, like the rest). */
function checkOidc(config: Parsed): void {
  const issuer = config.TASKFLOW_OIDC_ISSUER
  if (!issuer) {
    for (const name of ['TASKFLOW_OIDC_CLIENT_ID', 'TASKFLOW_OIDC_CLIENT_SECRET'] as const) {
      if (config[name]) throw new ConfigError(`Invalid ${name}: set TASKFLOW_OIDC_ISSUER too`)
    }
    if (config.TASKFLOW_OIDC_ONLY === '1') {
      throw new ConfigError('Invalid TASKFLOW_OIDC_ONLY=1: set TASKFLOW_OIDC_ISSUER too')
    }
    return
  }
  if (!config.TASKFLOW_OIDC_CLIENT_ID) {
    throw new ConfigError('Invalid TASKFLOW_OIDC_CLIENT_ID="": required with TASKFLOW_OIDC_ISSUER')
  }
  if (issuer.startsWith('http://')) {
    if (config.TASKFLOW_OIDC_ALLOW_HTTP !== '1') {
      throw new ConfigError(
        `Invalid TASKFLOW_OIDC_ISSUER=${JSON.stringify(issuer)}: must be https:// (TASKFLOW_OIDC_ALLOW_HTTP=1 allows http:// outside production)`,
      )
    }
  } else if (!issuer.startsWith('https://')) {
    throw new ConfigError(
      `Invalid TASKFLOW_OIDC_ISSUER=${JSON.stringify(issuer)}: must be https://`,
    )
  }
  if (config.NODE_ENV === 'production' && config.TASKFLOW_OIDC_ALLOW_HTTP === '1') {
    throw new ConfigError('Invalid TASKFLOW_OIDC_ALLOW_HTTP=1: refused when NODE_ENV=production')
  }
}
