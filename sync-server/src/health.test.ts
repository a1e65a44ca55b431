import { describe, expect, it } from 'vitest'
import { startTestServer } from './test/start-test-server.js'

describe('health', () => {
  it('answers ready once migrations ran', async () => {
    const server = await startTestServer()
    const res = await fetch(`${server.url}/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('answers /readyz with the database it checked (one node: no Redis)', async () => {
    const server = await startTestServer()
    const res = await fetch(`${server.url}/readyz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok', checks: { database: true } })
  })

  it('answers unknown paths with the error shape', async () => {
    const server = await startTestServer()
    const res = await fetch(`${server.url}/api/v1/nope`)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'Not found' } })
  })
})
