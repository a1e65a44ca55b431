import { describe, expect, it } from 'vitest'
import { createTestApi } from '../test/test-api.js'

describe('the API reference at /api/docs', () => {
  it('is a public page that loads its script from this server under the standard CSP', async () => {
    const api = await createTestApi()
    const page = await api.app.request('/api/docs')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    const html = await page.text()
    expect(html).toContain('data-url="/api/v1/openapi.json"')
    const src = /<script src="([^"]+)"/.exec(html)?.[1]
    expect(src).toBe('/api/docs/scalar.js')
    // Same-origin scripts only, like the app: the page needs no loosening.
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self';")

    const script = await api.app.request(src!)
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toContain('text/javascript')
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000)
  })
})
