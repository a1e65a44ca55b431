import { initBoard } from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { LiveDocs, SyncControl } from '../sync/access.js'
import { createWorld } from '../test/world.js'

/** A hub whose board writes wait until `release()`: a request held mid-flight. */
function heldHub() {
  const doc = new Y.Doc()
  initBoard(doc, { name: 'Held' })
  let release!: () => void
  const gate = new Promise<void>((r) => {
    release = r
  })
  const liveDocs: LiveDocs = {
    read: async (_name, read) => read(doc),
    write: async (_name, _user, edit) => {
      await gate
      return { value: edit(doc, 'held'), changed: true }
    },
  }
  const sync: SyncControl = {
    reauthorize: async () => {},
    closeDocument: () => {},
    deleteDocument: async () => {},
    documentWritten: () => {},
    liveDocs,
  }
  return { sync, release }
}

describe('Idempotency-Key while the first request runs', () => {
  it('answers a retry 409 until the first finishes, then replays its answer', async () => {
    const { sync, release } = heldHub()
    const w = await createWorld({ sync })
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
