import { afterEach, describe, expect, it } from 'vitest'
import { client, collabWorld, json } from '../test/collab.js'
import { readSse, type SseClient } from '../test/sse-client.js'

const open: SseClient[] = []
afterEach(async () => {
  for (const s of open.splice(0)) await s.close()
})

/** Bob's notification stream, open and past its first event. */
async function notificationStream(server: { url: string }, token: string): Promise<SseClient> {
  const res = await fetch(`${server.url}/api/v1/notifications/stream`, {
    headers: { authorization: `Bearer ${token}` },
  })
  expect(res.status).toBe(200)
  const s = readSse(res)
  open.push(s)
  await s.next((e) => e.event === 'unread', 'the initial unread count')
  return s
}

describe('disabling an account on a running server', () => {
  it("closes the account's sync socket with 4401 and ends its notification stream; enabling lets it sign in again", async () => {
    const { server, projectId, ann, bob } = await collabWorld()
    const provider = await client(server, projectId, bob)
    // The first close the server sends this socket, as the provider reports it.
    const firstClose = new Promise<number>((resolve) => {
      provider.on('connection-close', (e: { code: number } | null) => resolve(e?.code ?? -1))
    })
    const stream = await notificationStream(server, bob.token)
    expect(stream.hasEnded()).toBe(false)

    const off = await json(server, 'POST', `/admin/accounts/${bob.id}/disable`, ann.token)
    expect(off.status).toBe(200)

    expect(await firstClose).toBe(4401)
    await stream.untilEnded("Bob's notification stream ends")
    provider.disconnect()
    expect((await json(server, 'GET', '/me', bob.token)).status).toBe(401)
    const refused = await json(server, 'POST', '/auth/login', undefined, {
      email: bob.email,
      password: 'correct horse battery',
    })
    expect(refused.status).toBe(403)
    expect(refused.body.error.message).toBe('This account is disabled')

    const on = await json(server, 'POST', `/admin/accounts/${bob.id}/enable`, ann.token)
    expect(on.status).toBe(200)
    const back = await json(server, 'POST', '/auth/login', undefined, {
      email: bob.email,
      password: 'correct horse battery',
    })
    expect(back.status).toBe(200)
    const again = await client(server, projectId, { ...bob, token: back.body.token })
    expect(again.wsconnected).toBe(true)
  })
})
