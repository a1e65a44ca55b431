import { describe, expect, it } from 'vitest'
import type { LiveDocs } from '../sync/access.js'
import { createWorld } from '../test/world.js'

/** Holds the composed hub's board writes until `release()`: a request parked mid-flight. */
function holdBoardWrites(live: LiveDocs): () => void {
  let release!: () => void
  const gate = new Promise<void>((r) => {
    release = r
  })
  const write = live.write.bind(live)
  live.write = (async (...args: Parameters<LiveDocs['write']>) => {
    await gate
    return write(...args)
  }) as LiveDocs['write']
  return release
}

describe('Idempotency-Key while the first request runs', () => {
  it('answers a retry 409 until the first finishes, then replays its answer', async () => {
    const w = await createWorld()
    const release = holdBoardWrites(w.api.sync.liveDocs!)
    const post = () =>
      w.api.call('POST', `/api/v1/projects/${w.projectId}/tasks`, {
        token: w.token.member,
        body: { title: 'Held' },
        headers: { 'idempotency-key': 'retry-me' },
      })
    const first = post()
    // The first request is parked in the board write, its key claimed.
    await expect
      .poll(
        async () => (await w.api.db.selectFrom('idempotency_keys').select('key').execute()).length,
      )
      .toBe(1)
    const retry = await post()
    expect(retry.status).toBe(409)
    expect(retry.body.error.code).toBe('idempotency_key_in_flight')
    release()
    const done = await first
    expect(done.status).toBe(201)
    const replay = await post()
    expect(replay.status).toBe(201)
    expect(replay.body).toEqual(done.body)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
  })
})
