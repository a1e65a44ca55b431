import { z } from 'zod'
import { singleLineName } from './auth.js'

/**
 * Personal API tokens (`/api/v1/me/tokens`). A token acts as its owner over REST with a
 * scope (`read`: GET/HEAD only; `write`: everything the owner's roles allow) and, optionally,
 * a list of projects it is limited to. Tokens cannot manage tokens, passwords, sessions,
 * e-mail, single sign-on, members or invitations, and are refused by `/sync` and the
 * notification stream (docs/api.md, "Tokens").
 * @example await fetch('/api/v1/projects', { headers: { authorization: `Bearer ${token}` } })
 */
export const API_TOKEN_SCOPES = ['read', 'write'] as const
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number]
export const ApiTokenScopeSchema = z.enum(API_TOKEN_SCOPES)

/** Every API token starts with this, so secret scanners and the server can tell it from a session. */
export const API_TOKEN_PREFIX = 'tfp_'

/** `tfp_` + 32 random bytes in base64url (43 characters). */
export const ApiTokenSecretSchema = z.string().regex(/^tfp_[A-Za-z0-9_-]{43}$/, 'malformed token')

/** Live (unexpired) tokens one account may hold; revoke one to create another. */
export const MAX_API_TOKENS_PER_USER = 50

/** Projects one token may be limited to. */
export const MAX_API_TOKEN_PROJECTS = 100

/**
 * `POST /api/v1/me/tokens`. `projectIds` limits the token to those projects (each must be
 * one the caller can read); omitted, the token reaches every project of its owner.
 * `expiresAt` must be in the future; omitted, the token lives until revoked.
 * @example CreateApiTokenBodySchema.parse({ name: 'CI', scope: 'read', expiresAt: '2027-01-01T00:00:00Z' })
 */
export const CreateApiTokenBodySchema = z
  .object({
    name: singleLineName(100),
    scope: ApiTokenScopeSchema,
    projectIds: z
      .array(z.uuid())
      .min(1, 'omit projectIds for a token that reaches every project')
      .max(MAX_API_TOKEN_PROJECTS)
      .optional(),
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
export type CreateApiTokenBody = z.input<typeof CreateApiTokenBodySchema>

/** A token as listed: never its secret. `projectIds` null: every project; `expiresAt` null: never. */
export const ApiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  scope: ApiTokenScopeSchema,
  projectIds: z.array(z.uuid()).nullable(),
  expiresAt: z.iso.datetime({ offset: true }).nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  /** Accurate to a minute: the server records use at most once a minute per token. */
  lastUsedAt: z.iso.datetime({ offset: true }).nullable(),
})
export type ApiToken = z.infer<typeof ApiTokenSchema>

/** `201` answer of `POST /api/v1/me/tokens`: the only time `token` (the secret) is shown. */
export const CreatedApiTokenSchema = ApiTokenSchema.pick({
  id: true,
  name: true,
  scope: true,
  projectIds: true,
  expiresAt: true,
}).extend({ token: ApiTokenSecretSchema })
export type CreatedApiToken = z.infer<typeof CreatedApiTokenSchema>

/** `GET /api/v1/me/tokens`, newest first. */
export const ApiTokenListSchema = z.object({ tokens: z.array(ApiTokenSchema) })
export type ApiTokenList = z.infer<typeof ApiTokenListSchema>

/** Path of `DELETE /api/v1/me/tokens/:id`. */
export const ApiTokenParamsSchema = z.object({ id: z.uuid() }).strict()
