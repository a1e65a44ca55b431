import { afterEach, describe, expect, it } from 'vitest'
import { readSse, type SseClient } from '../test/sse-client.js'
import { createTestApi, lastMailTo, signUp, type TestApi } from '../test/test-api.js'

const HOUR = 3_600_000
const PASSWORD = 'correct horse battery'

const open: SseClient[] = []
afterEach(async () => {
  for (const s of open.splice(0)) await s.close()
})

/** Opens the notification stream with `token` and waits for its first event. */
async function stream(api: TestApi, token: string): Promise<SseClient> {
  const res = await api.app.request('/api/v1/notifications/stream', {
    headers: { authorization: `Bearer ${token}` },
  })
  expect(res.status).toBe(200)
  const s = readSse(res)
  open.push(s)
  await s.next((e) => e.event === 'unread', 'the initial unread count')
  return s
}

async function login(api: TestApi, email: string, password = PASSWORD): Promise<string> {
  const res = await api.call('POST', '/api/v1/auth/login', { body: { email, password } })
  expect(res.status).toBe(200)
  return res.body.token
}

/** `owner` adds `email` to a new project: one "added" notification for that user. */
async function notifyByAdding(api: TestApi, ownerToken: string, email: string, name: string) {
  const p = await api.call('POST', '/api/v1/projects', { token: ownerToken, body: { name } })
  expect(p.status).toBe(201)
  const added = await api.call('POST', `/api/v1/projects/${p.body.id}/members`, {
    token: ownerToken,
    body: { email, role: 'member' },
  })
  expect(added.status).toBe(201)
  return p.body.id as string
}

const notifications = (s: SseClient) => s.events.filter((e) => e.event === 'notification')

describe('notification streams end with their session', () => {
  it('ends the stream of a session that signs out, and the same user’s other session keeps its own', async () => {
    const api = await createTestApi()
    const ann = await signUp(api, 'ann@example.com')
    const bobLaptop = await signUp(api, 'bob@example.com')
    const bobPhone = await login(api, 'bob@example.com')
    const laptop = await stream(api, bobLaptop.token)
    const phone = await stream(api, bobPhone)

    expect((await api.call('POST', '/api/v1/auth/logout', { token: bobLaptop.token })).status).toBe(
      204,
    )
    await laptop.untilEnded('the signed-out session’s stream ends')

    const projectId = await notifyByAdding(api, ann.token, 'bob@example.com', 'Launch')
    const live = await phone.next((e) => e.event === 'notification', 'the phone’s notification')
    expect(live.data).toMatchObject({ kind: 'added', projectId })
    expect(phone.hasEnded()).toBe(false)
    expect(notifications(laptop)).toEqual([])
    // And the signed-out token cannot open a new one.
    const again = await api.app.request('/api/v1/notifications/stream', {
      headers: { authorization: `Bearer ${bobLaptop.token}` },
    })
    expect(again.status).toBe(401)
  })

  it('ends the stream of an expired session on the server clock before it delivers anything more', async () => {
    const api = await createTestApi({ env: { TASKFLOW_SESSION_TTL_DAYS: '1' } })
    await signUp(api, 'ann@example.com')
    const early = await signUp(api, 'bob@example.com') // expires at t0 + 24 h
    api.advance(12 * HOUR)
    const late = await login(api, 'bob@example.com') // expires at t0 + 36 h
    const earlyStream = await stream(api, early.token)
    const lateStream = await stream(api, late)

    api.advance(13 * HOUR) // t0 + 25 h: the first session is over, the second is not
    const ann = await login(api, 'ann@example.com')
    await notifyByAdding(api, ann, 'bob@example.com', 'Launch')
    await lateStream.next((e) => e.event === 'notification', 'the live session’s notification')
    await earlyStream.untilEnded('the expired session’s stream ends')
    expect(notifications(earlyStream)).toEqual([])
    expect(lateStream.hasEnded()).toBe(false)
  })

  it('ends the other sessions’ streams on a password change, and every stream on a password reset', async () => {
    const api = await createTestApi()
    const bob = await signUp(api, 'bob@example.com')
    const phoneToken = await login(api, 'bob@example.com')
    const laptop = await stream(api, bob.token)
    const phone = await stream(api, phoneToken)

    const changed = await api.call('POST', '/api/v1/me/password', {
      token: bob.token,
      body: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' },
    })
    expect(changed.status).toBe(204)
    await phone.untilEnded('the other session’s stream ends')
    // The session that changed the password is still signed in and still hears events.
    const seen = laptop.events.length
    const readAll = await api.call('POST', '/api/v1/notifications/read-all', { token: bob.token })
    expect(readAll.status).toBe(204)
    await laptop.next((e) => e.event === 'unread', 'a pushed unread count', seen)
    expect(laptop.hasEnded()).toBe(false)

    await api.call('POST', '/api/v1/auth/password-reset/request', {
      body: { email: 'bob@example.com' },
    })
    const token = /reset-password\?token=([A-Za-z0-9_-]{43})/.exec(
      (await lastMailTo(api.db, 'bob@example.com')).text,
    )![1]!
    const reset = await api.call('POST', '/api/v1/auth/password-reset/confirm', {
      body: { token, newPassword: 'yet another passphrase' },
    })
    expect(reset.status).toBe(204)
    await laptop.untilEnded('every stream ends after a reset')
  })
})
