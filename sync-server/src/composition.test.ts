import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { composeServer } from './composition.js'
import { parseConfig } from './config.js'
import { createLogger } from './logger.js'
import { recordContractViolation } from './test/contract-violations.js'
import { createTestApi } from './test/test-api.js'

const SERVER_ROOT = fileURLToPath(new URL('..', import.meta.url))

const routeList = (app: Hono) =>
  app.routes.map((r) => `${r.method} ${r.path}`).sort((a, b) => a.localeCompare(b))

/** Source files under `dir` (recursive), as paths relative to the package. */
function sources(dir: string): string[] {
  return readdirSync(join(SERVER_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|mjs)$/.test(f))
    .map((f) => relative(SERVER_ROOT, join(SERVER_ROOT, dir, f)))
}

// Issue 17: one place wires the server; tests run the assembly production runs.
describe('composition root', () => {
  it('the test API serves exactly the routes of the production assembly', async () => {
    const env = { NODE_ENV: 'test', LOG_LEVEL: 'silent', TASKFLOW_DB: ':memory:' }
    // The test API's one extra is a seam: it checks answers against the API contract.
    const production = composeServer(parseConfig(env), createLogger('silent'), {
      checkResponses: recordContractViolation,
    })
    const api = await createTestApi()
    const routes = routeList(api.app)
    expect(routes).toEqual(routeList(production.app))
    // Not two empty lists: the accounts API and health checks are in it.
    expect(routes).toContain('POST /api/v1/auth/register')
    expect(routes).toContain('GET /readyz')
    await production.storage.close()
  })

  it('no test helper or benchmark builds parts of the server itself', () => {
    // What only composition.ts may call: the app, the accounts API, the hub.
    const assembly =
      /\bcreateApp\(|\bcreateAccountsApi\(|\bnew SyncHub\(|import \{[^}]*\} from '[^']*\/(app|accounts-api)\.js'/
    const helpers = [
      ...sources('src/test'),
      ...sources('src').filter((f) => f.endsWith('test-utils.ts')),
      ...sources('bench'),
    ]
    expect(helpers.length).toBeGreaterThan(10)
    const offenders = helpers.filter((f) =>
      assembly.test(readFileSync(join(SERVER_ROOT, f), 'utf8')),
    )
    expect(offenders).toEqual([])
    // In the product, each is called from its one place.
    const product = sources('src').filter(
      (f) => !f.includes('.test.') && !f.startsWith('src/test/'),
    )
    const callers = (pattern: RegExp) =>
      product.filter((f) => pattern.test(readFileSync(join(SERVER_ROOT, f), 'utf8')))
    expect(callers(/(?<!function )\bcreateApp\(/)).toEqual(['src/composition.ts'])
    expect(callers(/\bnew SyncHub\(/)).toEqual(['src/composition.ts'])
    expect(callers(/(?<!function )\bcreateAccountsApi\(/)).toEqual(['src/app.ts'])
  })
})
