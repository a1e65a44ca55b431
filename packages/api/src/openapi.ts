import { z } from 'zod'
import { headerName, isJsonResponse, type RouteContract, toOpenApiPath } from './registry.js'

type Json = Record<string, unknown>

/** The prefix every registry path is relative to. */
export const API_PREFIX = '/api/v1'

/**
 * The OpenAPI 3.1 document of `routes`, generated with zod's own `z.toJSONSchema`
 * (OpenAPI 3.1 schemas are JSON Schema 2020-12, so no translation is needed). Request schemas
 * are converted as their input (what a client sends, before trimming and lower-casing),
 * responses as their output. Schemas named with `.meta({ id })` become `components.schemas`.
 * @example c.json(openApiDocument(API_ROUTES, { version: '1.4.0' }))
 */
export function openApiDocument(
  routes: readonly RouteContract[],
  info: { version: string; title?: string; description?: string },
): Json {
  const components: Record<string, Json> = {}
  // Each component's JSON as zod wrote it, to tell an input shape from an output one.
  const raw: Record<string, string> = {}

  const toJson = (schema: z.ZodType, io: 'input' | 'output') =>
    z.toJSONSchema(schema, {
      io,
      target: 'draft-2020-12',
      // Dates, bigints and the like never reach JSON here; documented as "anything".
      unrepresentable: 'any',
    }) as Json

  const convert = (schema: z.ZodType, io: 'input' | 'output'): Json => {
    const json = toJson(schema, io)
    delete json.$schema
    const defs = (json.$defs ?? {}) as Record<string, Json>
    delete json.$defs
    // The same schema as an answer: a named input that differs from it is `<id>Input`, so
    // the plain name is always the answer's shape, whichever a route mentions first.
    const asOutput =
      io === 'input' ? ((toJson(schema, 'output').$defs ?? {}) as Record<string, Json>) : {}
    const rename: Record<string, string> = {}
    for (const [id, def] of Object.entries(defs)) {
      const text = JSON.stringify(def)
      const differs = io === 'input' && JSON.stringify(asOutput[id]) !== text
      rename[id] = differs || (raw[id] !== undefined && raw[id] !== text) ? `${id}Input` : id
    }
    for (const [id, def] of Object.entries(defs)) {
      const name = rename[id]!
      raw[name] ??= JSON.stringify(def)
      components[name] = tidy(rewriteRefs(def, rename)) as Json
    }
    return tidy(rewriteRefs(json, rename)) as Json
  }

  const paths: Record<string, Record<string, Json>> = {}
  const tags = new Set<string>()
  for (const r of routes) {
    tags.add(r.tag)
    const parameters: Json[] = []
    for (const [where, schema] of [
      ['path', r.params],
      ['query', r.query || undefined],
      ['header', r.headers],
    ] as const) {
      if (!schema) continue
      for (const [name, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
        const required = where === 'path' || !field.safeParse(undefined).success
        const s = convert(field, 'input')
        const description = s.description
        delete s.description
        parameters.push({
          name: where === 'header' ? headerName(name) : name,
          in: where,
          required,
          schema: s,
          ...(description ? { description } : {}),
        })
      }
    }
    const responses: Record<string, Json> = {}
    for (const [status, spec] of Object.entries(r.responses)) {
      const headers: Record<string, Json> = {}
      for (const [name, field] of Object.entries(spec.headers?.shape ?? {}) as [
        string,
        z.ZodType,
      ][]) {
        const s = convert(field, 'output')
        const description = s.description
        delete s.description
        headers[headerName(name)] = {
          required: !field.safeParse(undefined).success,
          schema: s,
          ...(description ? { description } : {}),
        }
      }
      const withHeaders = Object.keys(headers).length ? { headers } : {}
      if (isJsonResponse(spec)) {
        const others: Record<string, Json> = {}
        for (const [type, description] of Object.entries(spec.alternatives ?? {})) {
          others[type] = { schema: { type: 'string', description } }
        }
        responses[status] = {
          description: spec.description,
          ...withHeaders,
          content: {
            'application/json': { schema: convert(spec.schema, 'output') },
            ...others,
          },
        }
      } else {
        responses[status] = {
          description: spec.description,
          ...withHeaders,
          ...(spec.contentType
            ? {
                content: {
                  [spec.contentType]: { schema: { type: 'string' } },
                  ...Object.fromEntries(
                    Object.entries(spec.alternatives ?? {}).map(([type, description]) => [
                      type,
                      { schema: { type: 'string', description } },
                    ]),
                  ),
                },
              }
            : {}),
        }
      }
    }
    const operation: Json = {
      operationId: r.operationId,
      summary: r.summary,
      ...(r.description || r.access || TOKEN_NOTE[r.auth]
        ? {
            description: [
              r.access ? `**Access:** ${r.access}.` : '',
              TOKEN_NOTE[r.auth],
              r.description ?? '',
            ]
              .filter(Boolean)
              .join('\n\n'),
          }
        : {}),
      tags: [r.tag],
      // Either scheme satisfies a `token` route; `session` routes refuse API tokens (403).
      security:
        r.auth === 'token'
          ? [{ bearer: [] }, { apiToken: [] }]
          : r.auth === 'session'
            ? [{ bearer: [] }]
            : [],
      ...(parameters.length ? { parameters } : {}),
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: convert(r.body, 'input') } },
            },
          }
        : {}),
      responses,
    }
    const path = `${API_PREFIX}${toOpenApiPath(r.path)}`
    paths[path] ??= {}
    paths[path][r.method] = operation
  }
  return {
    openapi: '3.1.0',
    info: {
      title: info.title ?? 'TaskFlow API',
      version: info.version,
      description:
        info.description ??
        'The REST API of a TaskFlow server. Errors answer `{"error": {"code", "message"}}`; see docs/api.md for the conventions.',
    },
    tags: [...tags].map((name) => ({ name })),
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            "A session token from `POST /auth/login` or `POST /auth/register` (the app's sign-in): every signed-in route accepts it.",
        },
        apiToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A personal API token, `tfp_…`, from `POST /me/tokens`, sent as `Authorization: Bearer tfp_…`. Accepted only by the routes that list this scheme (elsewhere 403): a `read` token may only GET (403 on writes), a token limited to some projects answers 404 for other projects and 403 on routes spanning all of them; tokens never manage tokens, passwords, sessions, members or invitations. Each token has its own rate limit (429 with `Retry-After`).',
        },
      },
    },
  }
}

/** What an operation's description says about API tokens, by `auth`. */
const TOKEN_NOTE: Record<RouteContract['auth'], string> = {
  none: '',
  session: '**API tokens:** refused (403); needs a signed-in session.',
  token:
    '**API tokens:** accepted (`read` tokens for GET only; project-limited tokens for their projects only).',
}

/** `#/$defs/X` → `#/components/schemas/<renamed X>`, everywhere in `value`. */
function rewriteRefs(value: unknown, rename: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, rename))
  if (value && typeof value === 'object') {
    const out: Json = {}
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')) {
        const id = v.slice('#/$defs/'.length)
        out[k] = `#/components/schemas/${rename[id] ?? id}`
      } else out[k] = rewriteRefs(v, rename)
    }
    return out
  }
  return value
}

/**
 * Plainer spellings of what zod writes, which some OpenAPI tools read more reliably (Scalar's
 * validator refuses the originals): `{ anyOf: [{ type: 'string', … }, { type: 'null' }] }` →
 * `{ type: ['string', 'null'], … }`; `additionalProperties: {}` → `true`; a record's
 * `propertyNames: { type: 'string' }` (every JSON key is a string) dropped.
 */
function tidy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tidy)
  if (!value || typeof value !== 'object') return value
  const out: Json = {}
  for (const [k, v] of Object.entries(value)) out[k] = tidy(v)
  const anyOf = out.anyOf as Json[] | undefined
  if (anyOf?.length === 2 && Object.keys(out).length === 1) {
    const nullAt = anyOf.findIndex((s) => Object.keys(s).length === 1 && s.type === 'null')
    const other = anyOf[1 - nullAt]
    if (nullAt >= 0 && other && typeof other.type === 'string' && !('$ref' in other)) {
      return { ...other, type: [other.type, 'null'] }
    }
  }
  if (isEmptyObject(out.additionalProperties)) out.additionalProperties = true
  if (JSON.stringify(out.propertyNames) === '{"type":"string"}') delete out.propertyNames
  return out
}

function isEmptyObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0
}
