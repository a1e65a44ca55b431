import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { openApiDocument } from './openapi.js'
import { defineRoute, ErrorBodySchema, matchRoute } from './registry.js'
import { API_ROUTES } from './routes.js'

const route = (method: 'get' | 'post', path: string) =>
  defineRoute({
    method,
    path,
    tag: 'T',
    auth: 'session',
    summary: path,
    responses: { 200: z.object({}) },
  })

describe('matchRoute', () => {
  const routes = [
    route('get', '/projects/:id'),
    route('post', '/projects/:id/tasks'),
    route('post', '/projects/import/trello'),
    route('post', '/projects/:id/archive'),
  ]

  it('finds the route of a concrete path, by method', () => {
    expect(matchRoute(routes, 'GET', '/projects/6f0c')?.path).toBe('/projects/:id')
    expect(matchRoute(routes, 'POST', '/projects/6f0c')).toBeUndefined()
    expect(matchRoute(routes, 'GET', '/projects/6f0c/extra')).toBeUndefined()
    expect(matchRoute(routes, 'GET', '/projects/')).toBeUndefined()
  })

  it('prefers literal segments over parameters, whatever the order of registration', () => {
    expect(matchRoute(routes, 'POST', '/projects/import/trello')?.path).toBe(
      '/projects/import/trello',
    )
    expect(matchRoute(routes, 'POST', '/projects/6f0c/tasks')?.path).toBe('/projects/:id/tasks')
  })
})

describe('defineRoute', () => {
  it('adds the standard error answers: 400 when validated, 401/403/429 when signed in, 413 with a body, 500', () => {
    const r = defineRoute({
      method: 'post',
      path: '/things',
      tag: 'T',
      auth: 'session',
      summary: 'Make a thing',
      body: z.object({ name: z.string() }),
      responses: { 201: z.object({ id: z.string() }) },
      errors: { 409: 'Exists' },
    })
    expect(Object.keys(r.responses).map(Number).sort()).toEqual([
      201, 400, 401, 403, 409, 413, 429, 500,
    ])
    expect(r.responses[409]).toEqual({ description: 'Exists', schema: ErrorBodySchema })
    expect(r.responses[403]?.description).toContain('needs a signed-in session')
    expect(r.operationId).toBe('post_things')
  })

  it("joins a route's own 403 with the API-token one", () => {
    const r = defineRoute({
      method: 'get',
      path: '/projects/:id',
      tag: 'T',
      auth: 'token',
      summary: 'A project',
      responses: { 200: z.object({}) },
      errors: { 403: 'Not a member' },
    })
    expect(r.responses[403]?.description).toMatch(/^Not a member; or: A read-only API token/)
    expect(r.responses[429]?.description).toContain('API token')
  })

  it('leaves 400 and 401 out of a public route that validates nothing', () => {
    const r = defineRoute({
      method: 'get',
      path: '/callback',
      tag: 'T',
      auth: 'none',
      summary: 'Redirect',
      query: false,
      responses: { 302: { description: 'Away' } },
    })
    expect(Object.keys(r.responses).map(Number).sort()).toEqual([302, 500])
  })
})

describe('openApiDocument', () => {
  it('names each route once, with a unique operationId', () => {
    const keys = API_ROUTES.map((r) => `${r.method} ${r.path}`)
    expect(new Set(keys).size).toBe(keys.length)
    const ids = API_ROUTES.map((r) => r.operationId)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('moves named schemas to components and writes nullable fields as type lists', () => {
    const Thing = z
      .object({ at: z.iso.datetime().nullable(), data: z.record(z.string(), z.unknown()) })
      .meta({ id: 'TestThing' })
    const doc = openApiDocument(
      [
        defineRoute({
          method: 'get',
          path: '/things/:id',
          tag: 'T',
          auth: 'none',
          summary: 'A thing',
          params: z.object({ id: z.string() }),
          responses: { 200: z.object({ thing: Thing }) },
        }),
      ],
      { version: '1' },
    ) as any
    const op = doc.paths['/api/v1/things/{id}'].get
    expect(op.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
    ])
    expect(op.responses['200'].content['application/json'].schema.properties.thing).toEqual({
      $ref: '#/components/schemas/TestThing',
    })
    const thing = doc.components.schemas.TestThing
    expect(thing.properties.at.type).toEqual(['string', 'null'])
    expect(thing.properties.data).toEqual({ type: 'object', additionalProperties: true })
    expect(op.responses['500'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ErrorBody',
    })
  })

  it('describes a request by what the client sends, before transforms', () => {
    const Email = z
      .string()
      .trim()
      .pipe(z.email())
      .transform((s) => s.toLowerCase())
    const doc = openApiDocument(
      [
        defineRoute({
          method: 'post',
          path: '/subscribe',
          tag: 'T',
          auth: 'none',
          summary: 'Subscribe',
          body: z.object({ email: Email }).strict(),
          responses: { 204: { description: 'Done' } },
        }),
      ],
      { version: '1' },
    ) as any
    expect(
      doc.paths['/api/v1/subscribe'].post.requestBody.content['application/json'].schema,
    ).toEqual({
      type: 'object',
      properties: { email: { type: 'string' } },
      required: ['email'],
      additionalProperties: false,
    })
  })

  it('documents request and response headers by their usual spelling, and other content types of a status', () => {
    const doc = openApiDocument(
      [
        defineRoute({
          method: 'post',
          path: '/things',
          tag: 'T',
          auth: 'none',
          summary: 'Make a thing',
          headers: z.object({ 'idempotency-key': z.string().optional().describe('Retry safely') }),
          responses: {
            200: {
              description: 'The thing',
              schema: z.object({ id: z.string() }),
              alternatives: { 'text/csv': 'The thing as one CSV row' },
              headers: z.object({ 'idempotent-replayed': z.literal('true').optional() }),
            },
          },
        }),
      ],
      { version: '1' },
    ) as any
    const op = doc.paths['/api/v1/things'].post
    expect(op.parameters).toEqual([
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        schema: { type: 'string' },
        description: 'Retry safely',
      },
    ])
    // A header is validated like any input: 400 is documented.
    expect(op.responses['400']).toBeDefined()
    const ok = op.responses['200']
    expect(ok.headers).toEqual({
      'Idempotent-Replayed': { required: false, schema: { type: 'string', const: 'true' } },
    })
    expect(Object.keys(ok.content)).toEqual(['application/json', 'text/csv'])
    expect(ok.content['text/csv'].schema).toEqual({
      type: 'string',
      description: 'The thing as one CSV row',
    })
  })

  it('documents the Idempotency-Key header on every task API POST, and the export as JSON or CSV', () => {
    const posts = API_ROUTES.filter((r) => r.method === 'post' && r.path.includes('/tasks'))
    expect(posts.map((r) => r.path).sort()).toEqual([
      '/projects/:id/tasks',
      '/projects/:id/tasks/:taskId/comments',
      '/projects/:id/tasks/:taskId/move',
      '/projects/:id/tasks/:taskId/relations',
    ])
    for (const r of posts) expect(Object.keys(r.headers?.shape ?? {})).toEqual(['idempotency-key'])
    const doc = openApiDocument(API_ROUTES, { version: '1' }) as any
    const exp = doc.paths['/api/v1/projects/{id}/export'].get.responses['200'].content
    expect(Object.keys(exp)).toEqual(['application/json', 'text/csv'])
    expect(exp['application/json'].schema).toEqual({ $ref: '#/components/schemas/TaskflowExport' })
  })
})
