import { defineRoute } from './registry.js'
import {
  ApiTokenListSchema,
  ApiTokenParamsSchema,
  CreateApiTokenBodySchema,
  CreatedApiTokenSchema,
} from './tokens.js'

const tag = 'API tokens'

/** `/me/tokens*`: personal API tokens. Session only: a token cannot mint or revoke tokens. */
export const TOKEN_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/me/tokens',
    tag,
    auth: 'session',
    summary: 'My API tokens, newest first (never their secrets)',
    responses: { 200: ApiTokenListSchema },
  }),
  defineRoute({
    method: 'post',
    path: '/me/tokens',
    tag,
    auth: 'session',
    summary: 'Create an API token; the answer is the only time its secret is shown',
    body: CreateApiTokenBodySchema,
    responses: { 201: { description: 'Created', schema: CreatedApiTokenSchema } },
    errors: { 409: 'Already at the limit of live tokens per account; revoke one first' },
  }),
  defineRoute({
    method: 'delete',
    path: '/me/tokens/:id',
    tag,
    auth: 'session',
    summary: 'Revoke an API token (it answers 401 from then on)',
    params: ApiTokenParamsSchema,
    responses: { 204: { description: 'Revoked; no body' } },
    errors: { 404: 'Unknown token, or not mine' },
  }),
]
