import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { createTestApi, signUp } from '../test/test-api.js'

// A stand-in for app/dist: the shell and one hashed asset.
const appDir = mkdtempSync(join(tmpdir(), 'taskflow-app-'))
mkdirSync(join(appDir, 'assets'))
writeFileSync(join(appDir, 'index.html'), '<!doctype html><div id="root"></div>')
writeFileSync(join(appDir, 'assets', 'index-abc123.js'), 'console.log(1)')
afterAll(() => rmSync(appDir, { recursive: true, force: true }))

/** Directive name → its sources, from a Content-Security-Policy header. */
function csp(header: string | null): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/)
    if (name) out.set(name, sources)
  }
  return out
}

function expectSecurityHeaders(res: Response, what: string) {
  const h = res.headers
  const policy = csp(h.get('content-security-policy'))
  expect(policy.get('default-src'), what).toEqual(["'self'"])
  expect(policy.get('script-src'), what).toEqual(["'self'"])
  expect(policy.get('object-src'), what).toEqual(["'none'"])
  expect(policy.get('base-uri'), what).toEqual(["'none'"])
  expect(policy.get('frame-ancestors'), what).toEqual(["'none'"])
  expect(policy.get('connect-src'), what).toEqual(["'self'", 'ws://localhost', 'wss://localhost'])
  expect(h.get('x-content-type-options'), what).toBe('nosniff')
  expect(h.get('x-frame-options'), what).toBe('DENY')
  expect(h.get('referrer-policy'), what).toBe('no-referrer')
  expect(h.get('permissions-policy'), what).toContain('camera=()')
  expect(h.get('permissions-policy'), what).toContain('geolocation=()')
}

describe('security headers', () => {
  it('are on every kind of response: app, asset, API, stream, health, 404, 400, 401, 413 and 500', async () => {
    const api = await createTestApi({
      env: { TASKFLOW_APP_DIR: appDir, TASKFLOW_MAX_BODY_BYTES: '1024' },
    })
    const { token } = await signUp(api, 'ann@example.com')
    const auth = { authorization: `Bearer ${token}` }
    const get = (path: string, headers: Record<string, string> = {}) =>
      api.app.request(path, { headers })

    const responses: [string, Response, number][] = [
      ['app shell', await get('/projects/abc'), 200],
      ['static asset', await get('/assets/index-abc123.js'), 200],
      ['API JSON', await get('/api/v1/me', auth), 200],
      ['health', await get('/healthz'), 200],
      ['API 404', await get('/api/v1/nothing-here'), 404],
      ['bad input', await get('/api/v1/me?x=1', auth), 400],
      ['signed out', await get('/api/v1/me'), 401],
      [
        'body too large',
        await api.app.request('/api/v1/auth/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(2000) }),
        }),
        413,
      ],
    ]
    const stream = await get('/api/v1/notifications/stream', auth)
    responses.push(['SSE stream', stream, 200])
    await stream.body!.cancel()

    // An unexpected failure (a table gone) is the generic 500.
    await sql`DROP TABLE notifications`.execute(api.db)
    responses.push(['server error', await get('/api/v1/notifications/unread-count', auth), 500])

    for (const [what, res, status] of responses) {
      expect(res.status, what).toBe(status)
      expectSecurityHeaders(res, what)
      // Served over plain http here: no HSTS.
      expect(res.headers.get('strict-transport-security'), what).toBeNull()
    }
    expect(responses[0]![1].headers.get('content-type')).toContain('text/html')
    expect(stream.headers.get('content-type')).toContain('text/event-stream')
  })

  it('adds HSTS only when the public URL is https', async () => {
    const api = await createTestApi({ env: { TASKFLOW_PUBLIC_URL: 'https://tasks.example.com' } })
    for (const path of ['/healthz', '/api/v1/me', '/api/v1/nothing-here']) {
      const res = await api.app.request(path)
      expect(res.headers.get('strict-transport-security'), path).toBe('max-age=31536000')
    }
  })
})
