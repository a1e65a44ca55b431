import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { API_ROUTES, NoQuerySchema, openApiDocument } from '@taskflow/api'
import { Hono } from 'hono'
import { validate } from './validate.js'

/** The interactive reference's page; its CSP is loosened for it alone (security-headers.ts). */
export const API_DOCS_PATH = '/api/docs'
// Scalar's standalone bundle, served by us: the page must work without any CDN.
const SCALAR_JS_PATH = `${API_DOCS_PATH}/scalar.js`

// sync-server/package.json, the same from src/http (tsx) and dist/http (built), like admin.
const PACKAGE_JSON = new URL('../../package.json', import.meta.url)

/** Scalar configuration: no web fonts from Scalar's CDN, no telemetry, no request proxy. */
const SCALAR_CONFIG = {
  withDefaultFonts: false,
  telemetry: false,
  hideClientButton: false,
  showDeveloperTools: 'never',
  agent: { disabled: true },
}

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>TaskFlow API reference</title>
  </head>
  <body>
    <script id="api-reference" data-url="/api/v1/openapi.json" data-configuration='${JSON.stringify(SCALAR_CONFIG)}'></script>
    <script src="${SCALAR_JS_PATH}"></script>
  </body>
</html>
`

/**
 * `GET /api/v1/openapi.json` (the OpenAPI 3.1 document generated from `@taskflow/api`'s route
 * registry) and `GET /api/docs` (Scalar's interactive reference over it). Both public: the
 * document describes the API, not anyone's data. Built lazily, once per process.
 */
export function apiReferenceRoutes(): Hono {
  const app = new Hono()
  let document: string | undefined
  let scalar: Buffer | undefined

  app.get('/api/v1/openapi.json', validate('query', NoQuerySchema), (c) => {
    document ??= JSON.stringify(
      openApiDocument(API_ROUTES, {
        version: (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version,
      }),
    )
    c.header('Content-Type', 'application/json; charset=UTF-8')
    return c.body(document)
  })

  app.get(API_DOCS_PATH, (c) => c.html(PAGE))

  app.get(SCALAR_JS_PATH, (c) => {
    scalar ??= readFileSync(
      createRequire(import.meta.url).resolve('@scalar/api-reference/browser/standalone.js'),
    )
    c.header('Content-Type', 'text/javascript; charset=UTF-8')
    c.header('Cache-Control', 'public, max-age=3600')
    return c.body(new Uint8Array(scalar))
  })

  return app
}
