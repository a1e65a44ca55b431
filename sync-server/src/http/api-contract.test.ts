import { Validator } from '@seriousme/openapi-schema-validator'
import {
  API_ROUTES,
  defineRoute,
  NoQuerySchema,
  type RouteContract,
  toOpenApiPath,
} from '@taskflow/api'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { tokenPolicy } from '../api-tokens/token-policy.js'
import { createTestApi, signUp } from '../test/test-api.js'
import { responseContract } from './response-contract.js'

type Doc = {
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>
}

/** `METHOD /api/v1/path/{param}` of every route the app serves under /api/v1. */
function servedRoutes(app: Hono): Set<string> {
  return new Set(
    app.routes
      // `ALL` entries are middleware (`app.use`); `*` paths are prefixes, not routes.
      .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/v1/') && !r.path.includes('*'))
      .map((r) => `${r.method} ${toOpenApiPath(r.path)}`),
  )
}

function documentedRoutes(doc: Doc): Set<string> {
  return new Set(
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    ),
  )
}

/** What the document leaves out, and what it describes that the app does not serve. */
function coverage(app: Hono, doc: Doc) {
  const served = servedRoutes(app)
  const documented = documentedRoutes(doc)
  return {
    undocumented: [...served].filter((r) => !documented.has(r)).sort(),
    missing: [...documented].filter((r) => !served.has(r)).sort(),
  }
}

describe('the OpenAPI document at GET /api/v1/openapi.json', () => {
  it('describes every /api/v1 route the server serves, and only those', async () => {
    const api = await createTestApi()
    const res = await api.call('GET', '/api/v1/openapi.json')
    expect(res.status).toBe(200)
    expect(res.body.openapi).toBe('3.1.0')
    // A sanity floor: the walk really sees the assembled app's routes.
    expect(servedRoutes(api.app).size).toBeGreaterThan(40)
    expect(coverage(api.app, res.body)).toEqual({ undocumented: [], missing: [] })
  })

  it('names a route the server serves but the document does not describe', async () => {
    const doc = (await (await createTestApi()).call('GET', '/api/v1/openapi.json')).body
    // A route added to the assembled app (before its router is built by a first request).
    const api = await createTestApi()
    api.app.get('/api/v1/projects/:id/secret-export', (c) => c.json({}))
    expect(coverage(api.app, doc)).toEqual({
      undocumented: ['GET /api/v1/projects/{id}/secret-export'],
      missing: [],
    })
  })

  it('declares every path parameter of every route, and answers each operation with at least one status', async () => {
    const api = await createTestApi()
    const doc: Doc = (await api.call('GET', '/api/v1/openapi.json')).body
    for (const [path, ops] of Object.entries(doc.paths)) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
      for (const [method, op] of Object.entries(ops)) {
        const declared = (op.parameters ?? [])
          .filter((p) => p.in === 'path')
          .map((p) => p.name)
          .sort()
        expect(declared, `${method} ${path}`).toEqual(inPath)
        expect(Object.keys((op as { responses: object }).responses).length).toBeGreaterThan(0)
      }
    }
  })

  it("is a valid OpenAPI 3.1 document (checked against the specification's own JSON schema)", async () => {
    const api = await createTestApi()
    const doc = (await api.call('GET', '/api/v1/openapi.json')).body
    const result = await new Validator().validate(doc)
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 1)).toEqual([])
    expect(result.valid).toBe(true)
  })

  it('is public and needs no session', async () => {
    const api = await createTestApi()
    const res = await api.call('GET', '/api/v1/openapi.json')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/json')
    expect(res.body.paths['/api/v1/projects/{id}'].get.security).toEqual([
      { bearer: [] },
      { apiToken: [] },
    ])
    expect(res.body.paths['/api/v1/me/tokens'].get.security).toEqual([{ bearer: [] }])
  })
})

/**
 * Routes whose `auth` disagrees with the token policy requireAuth enforces: `token` where the
 * policy refuses an unlimited write token, or `session` where it lets one in.
 */
function tokenDisagreements(routes: readonly RouteContract[]): string[] {
  const projectId = '0b6f5c1e-3c52-4c55-9b1e-5d0f7f7a8e01'
  return routes
    .filter((r) => r.auth !== 'none')
    .flatMap((r) => {
      const verdict = tokenPolicy(
        { scope: 'write', projectIds: null },
        r.method.toUpperCase(),
        `/api/v1${r.path}`,
        r.path.includes(':id') ? projectId : undefined,
      )
      return verdict.ok === (r.auth === 'token')
        ? []
        : [
            `${r.method} ${r.path}: auth '${r.auth}' but the policy ${verdict.ok ? 'admits' : 'refuses'} tokens`,
          ]
    })
}

describe('API tokens in the document', () => {
  it("every route's auth says what the token policy (api-tokens/token-policy.ts) lets a token do", () => {
    expect(API_ROUTES.filter((r) => r.auth === 'token').length).toBeGreaterThan(20)
    expect(tokenDisagreements(API_ROUTES)).toEqual([])
  })

  it('names a route documented for tokens that the policy refuses, and the reverse', () => {
    const route = (method: 'get' | 'delete', path: string, auth: 'session' | 'token') =>
      defineRoute({ method, path, tag: 'T', auth, summary: 's', responses: { 200: z.object({}) } })
    expect(
      tokenDisagreements([
        route('get', '/me/tokens', 'token'),
        route('get', '/projects/:id/activity', 'session'),
        route('delete', '/projects/:id', 'session'),
      ]),
    ).toEqual([
      "get /me/tokens: auth 'token' but the policy refuses tokens",
      "get /projects/:id/activity: auth 'session' but the policy admits tokens",
    ])
  })

  it('documents 403 and 429 on every signed-in route, for API tokens', () => {
    const missing = API_ROUTES.filter(
      (r) => r.auth !== 'none' && !(r.responses[403] && r.responses[429]),
    ).map((r) => `${r.method} ${r.path}`)
    expect(missing).toEqual([])
  })
})

/** A project the caller owns: its id passes every route's role check. */
async function ownProject(api: Awaited<ReturnType<typeof createTestApi>>, token: string) {
  const res = await api.call('POST', '/api/v1/projects', { token, body: { name: 'Contract' } })
  expect(res.status).toBe(201)
  return res.body.id as string
}

describe('the request side of the contract', () => {
  it('every route refuses a query parameter its query schema does not name, before doing anything', async () => {
    const api = await createTestApi()
    // The instance's first account, owner of a real project: past every role check
    // (requireRole runs before validation), so what refuses is the query schema.
    const { token } = await signUp(api, 'admin@example.org')
    const projectId = await ownProject(api, token)
    const strict = API_ROUTES.filter(
      (r) =>
        r.query !== false &&
        r.query.safeParse({}).success &&
        !r.query.safeParse({ unexpected: '1' }).success,
    )
    expect(strict.length).toBeGreaterThan(40)
    const sample: Record<string, string> = {
      id: projectId,
      userId: '1c7f5c1e-3c52-4c55-9b1e-5d0f7f7a8e02',
      invitationId: '2d8f5c1e-3c52-4c55-9b1e-5d0f7f7a8e03',
      taskId: 'task-1',
      sha256: 'a'.repeat(64),
    }
    const refused: string[] = []
    for (const r of strict) {
      let path = r.path.replace(/:(\w+)/g, (_, name: string) => sample[name]!)
      if (r.path.startsWith('/notifications/:id')) path = '/notifications/1/read'
      const res = await api.call(r.method.toUpperCase(), `/api/v1${path}?unexpected=1`, { token })
      if (res.status !== 400 || !String(res.body?.error?.message).startsWith('Invalid query')) {
        refused.push(`${r.method} ${r.path}: ${res.status} ${JSON.stringify(res.body)}`)
      }
    }
    expect(refused).toEqual([])
  })
})

describe('request headers in the registry', () => {
  it('every route that documents a header refuses a bad value with 400 naming it, before doing anything', async () => {
    const api = await createTestApi()
    const { token } = await signUp(api, 'admin@example.org')
    const projectId = await ownProject(api, token)
    const withHeaders = API_ROUTES.filter((r) => r.headers)
    expect(withHeaders.length).toBeGreaterThanOrEqual(3)
    const sample = {
      id: projectId,
      taskId: 'task-1',
    } as Record<string, string>
    const refused: string[] = []
    for (const r of withHeaders) {
      const path = r.path.replace(/:(\w+)/g, (_, name: string) => sample[name]!)
      for (const name of Object.keys(r.headers!.shape)) {
        const res = await api.call(r.method.toUpperCase(), `/api/v1${path}`, {
          token,
          headers: { [name]: ' not visible ASCII ' },
          body: {},
        })
        if (
          res.status !== 400 ||
          !String(res.body?.error?.message).startsWith(`Invalid header: ${name}`)
        ) {
          refused.push(`${r.method} ${r.path} ${name}: ${res.status} ${JSON.stringify(res.body)}`)
        }
      }
    }
    expect(refused).toEqual([])
  })
})

describe('the response contract check', () => {
  const route = defineRoute({
    method: 'get',
    path: '/things/:id',
    tag: 'Test',
    auth: 'none',
    summary: 'A thing',
    params: z.object({ id: z.string() }),
    query: NoQuerySchema,
    responses: { 200: z.object({ id: z.string(), count: z.number() }) },
    errors: { 404: 'Unknown thing' },
  })

  function appAnswering(status: number, body: unknown) {
    const problems: string[] = []
    const app = new Hono()
    app.use(
      '/api/v1/*',
      responseContract((p) => problems.push(p), [route]),
    )
    app.get('/api/v1/things/:id', (c) => c.json(body as object, status as 200))
    return { app, problems }
  }

  it('accepts an answer that matches the schema of its status', async () => {
    const { app, problems } = appAnswering(200, { id: 'a', count: 1 })
    expect((await app.request('/api/v1/things/a')).status).toBe(200)
    expect(problems).toEqual([])
  })

  it('reports a body that does not match, naming the route and the field', async () => {
    const { app, problems } = appAnswering(200, { id: 'a', count: '1' })
    await app.request('/api/v1/things/a')
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain('GET /api/v1/things/a (get_things_id) answered 200')
    expect(problems[0]).toContain('count')
  })

  it('reports a field the schema does not document', async () => {
    const { app, problems } = appAnswering(200, { id: 'a', count: 1, secret: 'x' })
    await app.request('/api/v1/things/a')
    expect(problems).toEqual([
      'GET /api/v1/things/a (get_things_id) answered 200: undocumented fields secret',
    ])
  })

  it('reports a status the route does not document', async () => {
    const { app, problems } = appAnswering(409, { error: { code: 'conflict', message: 'x' } })
    await app.request('/api/v1/things/a')
    expect(problems).toEqual([
      'GET /api/v1/things/a (get_things_id) answered 409: status not documented',
    ])
  })

  it('accepts another content type documented for the status, and names one that is not', async () => {
    const exported = defineRoute({
      method: 'get',
      path: '/things/:id/export',
      tag: 'Test',
      auth: 'none',
      summary: 'A thing, as JSON or CSV',
      params: z.object({ id: z.string() }),
      query: z.object({ format: z.enum(['json', 'csv', 'xml']).optional() }),
      responses: {
        200: {
          description: 'The thing',
          schema: z.object({ id: z.string() }),
          alternatives: { 'text/csv': 'One row' },
        },
      },
    })
    const problems: string[] = []
    const app = new Hono()
    app.use(
      '/api/v1/*',
      responseContract((p) => problems.push(p), [exported]),
    )
    app.get('/api/v1/things/:id/export', (c) => {
      const format = c.req.query('format')
      if (format === 'csv') return c.body('id\r\na\r\n', 200, { 'content-type': 'text/csv' })
      if (format === 'xml') return c.body('<id/>', 200, { 'content-type': 'application/xml' })
      return c.json({ id: 'a' })
    })
    await app.request('/api/v1/things/a/export')
    await app.request('/api/v1/things/a/export?format=csv')
    expect(problems).toEqual([])
    await app.request('/api/v1/things/a/export?format=xml')
    expect(problems).toEqual([
      'GET /api/v1/things/a/export (get_things_id_export) answered 200: content-type application/xml, documented JSON or text/csv',
    ])
  })

  it('checks the response headers a status documents', async () => {
    const replayed = defineRoute({
      method: 'post',
      path: '/things',
      tag: 'Test',
      auth: 'none',
      summary: 'Make a thing',
      responses: {
        201: {
          description: 'Made',
          schema: z.object({ id: z.string() }),
          headers: z.object({ 'idempotent-replayed': z.literal('true').optional() }),
        },
      },
    })
    const problems: string[] = []
    const app = new Hono()
    app.use(
      '/api/v1/*',
      responseContract((p) => problems.push(p), [replayed]),
    )
    app.post('/api/v1/things', (c) => {
      const value = c.req.query('replayed')
      if (value) c.header('idempotent-replayed', value)
      return c.json({ id: 'a' }, 201)
    })
    await app.request('/api/v1/things', { method: 'POST' })
    await app.request('/api/v1/things?replayed=true', { method: 'POST' })
    expect(problems).toEqual([])
    await app.request('/api/v1/things?replayed=yes', { method: 'POST' })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(
      'answered 201: headers do not match their schema: idempotent-replayed',
    )
  })

  it('checks error answers against ErrorBody', async () => {
    const { app, problems } = appAnswering(404, { error: { code: 'nope', message: 'x' } })
    await app.request('/api/v1/things/a')
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain('error.code')
  })
})
