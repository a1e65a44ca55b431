import { randomUUID } from 'node:crypto'
import {
  API_TOKEN_PREFIX,
  type ApiToken,
  type CreateApiTokenBody,
  type CreatedApiToken,
  ERROR_CODES,
  MAX_API_TOKENS_PER_USER,
} from '@taskflow/api'
import { tokens } from '../auth/tokens.js'
import type { Clock } from '../clock.js'
import type { Db } from '../db/database.js'
import { AppError } from '../http/app-error.js'
import { memberProjectIds } from '../projects/members.repository.js'
import {
  type ApiTokenRow,
  countLiveApiTokens,
  deleteApiToken,
  insertApiToken,
  listApiTokens,
} from './api-tokens.repository.js'

const iso = (ms: number) => new Date(ms).toISOString()

function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    projectIds: row.project_ids === null ? null : (JSON.parse(row.project_ids) as string[]),
    expiresAt: row.expires_at === null ? null : iso(row.expires_at),
    createdAt: iso(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : iso(row.last_used_at),
  }
}

const invalid = (message: string) => new AppError(400, ERROR_CODES.validation, message)

export type ApiTokensService = ReturnType<typeof createApiTokensService>

/** Creating, listing and revoking one's own API tokens (`/me/tokens`, session only). */
export function createApiTokensService(deps: { db: Db; now: Clock }) {
  const { db, now } = deps
  return {
    async list(userId: string): Promise<ApiToken[]> {
      return (await listApiTokens(db, userId)).map(toApiToken)
    },

    /**
     * Creates a token and answers its secret, which is not kept: only its hash is stored.
     * Every project of `projectIds` must be one the user is a member of, whatever the role
     * (400 otherwise; the same answer for an unknown project, so ids reveal nothing).
     */
    async create(userId: string, body: CreateApiTokenBody): Promise<CreatedApiToken> {
      const t = now()
      const expiresAt = body.expiresAt === undefined ? null : Date.parse(body.expiresAt)
      if (expiresAt !== null && expiresAt <= t) {
        throw invalid('Invalid json: expiresAt: must be in the future')
      }
      const projectIds = body.projectIds ? [...new Set(body.projectIds)] : null
      // 256 random bits; the whole secret, prefix included, is what gets hashed and looked up.
      const secret = `${API_TOKEN_PREFIX}${tokens.create().token}`
      const row: ApiTokenRow = {
        id: randomUUID(),
        user_id: userId,
        token_hash: tokens.hash(secret),
        name: body.name,
        scope: body.scope,
        project_ids: projectIds === null ? null : JSON.stringify(projectIds),
        created_at: t,
        expires_at: expiresAt,
        last_used_at: null,
      }
      await db.transaction().execute(async (trx) => {
        if (projectIds) {
          const readable = await memberProjectIds(trx, userId, projectIds)
          const missing = projectIds.find((id) => !readable.has(id))
          if (missing) {
            throw invalid(
              `Invalid json: projectIds: ${missing} is not a project you are a member of`,
            )
          }
        }
        // Counted in the transaction with the insert, so parallel requests cannot pass the cap together.
        if ((await countLiveApiTokens(trx, userId, t)) >= MAX_API_TOKENS_PER_USER) {
          throw new AppError(
            409,
            ERROR_CODES.conflict,
            `You already have ${MAX_API_TOKENS_PER_USER} API tokens; revoke one to create another`,
          )
        }
        await insertApiToken(trx, row)
      })
      const { id, name, scope, projectIds: limit, expiresAt: expires } = toApiToken(row)
      return { id, name, scope, projectIds: limit, expiresAt: expires, token: secret }
    },

    /** Revokes one of the user's tokens at once; 404 when the user has none with that id. */
    async revoke(userId: string, id: string): Promise<void> {
      if (!(await deleteApiToken(db, userId, id))) {
        throw new AppError(404, ERROR_CODES.notFound, 'API token not found')
      }
    },
  }
}
