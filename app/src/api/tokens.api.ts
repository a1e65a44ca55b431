import { ApiTokenListSchema, type CreateApiTokenBody, CreatedApiTokenSchema } from '@taskflow/api'
import { apiRequest, NO_CONTENT } from './client'

/** Personal API tokens of the signed-in account (shared contract: `@taskflow/api` tokens). */
export const listApiTokens = () => apiRequest('/me/tokens', { schema: ApiTokenListSchema })

/** The answer carries the secret, which the server never shows again. */
export const createApiToken = (body: CreateApiTokenBody) =>
  apiRequest('/me/tokens', { method: 'POST', body, schema: CreatedApiTokenSchema })

export const revokeApiToken = (id: string) =>
  apiRequest(`/me/tokens/${encodeURIComponent(id)}`, { method: 'DELETE', schema: NO_CONTENT })
