import { describe, expect, it } from 'vitest'
import { connectProvider, waitFor } from './sync/sync-test-utils.js'
import { collabWorld, json, T0 } from './test/collab.js'

const DAY = 86_400_000

function closeCodes(provider: ReturnType<typeof connectProvider>): number[] {
  const codes: number[] = []
  provider.on('connection-close', (event) => {
    if (event) codes.push(event.code)
  })
  return codes
}

describe('one clock for the whole server (SPEC 10.1)', () => {
  it('REST and the sync socket accept a session until the injected clock passes its expiry, then both refuse it', async () => {
    const { clock, server, projectId, ann } = await collabWorld()
    const ttl = 30 * DAY // TASKFLOW_SESSION_TTL_DAYS' default; the session was made at T0

    // One millisecond before expiry, on the server's clock: both accept.
    clock.set(T0 + ttl - 1)
    expect((await json(server, 'GET', '/me', ann.token)).status).toBe(200)
    const live = connectProvider(server, projectId, { token: ann.token })
    await waitFor(() => live.synced, 'provider synced before expiry')
    live.destroy()

    // At expiry: REST answers 401 and the socket is closed with 4401, whatever the
    // wall clock says (the world's T0 is a fixed date that may be past or future).
    clock.set(T0 + ttl)
    const rest = await json(server, 'GET', '/me', ann.token)
    expect(rest.status).toBe(401)
    expect(rest.body.error.code).toBeTypeOf('string')
    const late = connectProvider(server, projectId, { token: ann.token })
    const codes = closeCodes(late)
    await waitFor(() => codes.length > 0, 'socket refused after expiry')
    expect(codes[0]).toBe(4401)
    expect(late.synced).toBe(false)
  })
})
