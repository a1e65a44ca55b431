import { describe, expect, it } from 'vitest'
import { createTestApi, lastMailTo, signUp, type TestApi } from '../test/test-api.js'

const PASSWORD = 'correct horse battery'

/** Ann registered first (the admin); Bob is an ordinary account. */
async function world(env: Record<string, string> = {}) {
  const api = await createTestApi({ env: { TASKFLOW_PUBLIC_URL: 'https://tf.example', ...env } })
  const ann = await signUp(api, 'ann@example.org')
  api.advance(1000)
  const bob = await signUp(api, 'bob@example.org')
  return { api, ann, bob }
}

const login = (api: TestApi, email: string, password = PASSWORD) =>
  api.call('POST', '/api/v1/auth/login', { body: { email, password } })

const ROUTES: { method: string; path: (bobId: string) => string; body?: unknown; ok: number }[] = [
  { method: 'GET', path: () => '/api/v1/admin/accounts', ok: 200 },
  { method: 'POST', path: (id) => `/api/v1/admin/accounts/${id}/disable`, ok: 200 },
  { method: 'POST', path: (id) => `/api/v1/admin/accounts/${id}/enable`, ok: 200 },
  { method: 'GET', path: () => '/api/v1/admin/settings', ok: 200 },
  { method: 'PUT', path: () => '/api/v1/admin/settings', body: { signup: 'open' }, ok: 200 },
  { method: 'POST', path: () => '/api/v1/admin/test-email', ok: 202 },
  { method: 'GET', path: () => '/api/v1/admin/health', ok: 200 },
]

describe('admin API authorization', () => {
  for (const r of ROUTES) {
    it(`${r.method} ${r.path(':id')} answers 401 signed out, 403 to a user, ${r.ok} to the admin`, async () => {
      const { api, ann, bob } = await world()
      const call = (token?: string) => api.call(r.method, r.path(bob.id), { token, body: r.body })
      expect((await call()).status).toBe(401)
      const asBob = await call(bob.token)
      expect(asBob.status).toBe(403)
      expect(asBob.body.error.code).toBe('forbidden')
      expect((await call(ann.token)).status).toBe(r.ok)
    })
  }
})

describe('instance admins', () => {
  it('makes the first account registered the admin, and says so in GET /me', async () => {
    const { api, ann, bob } = await world()
    expect((await api.call('GET', '/api/v1/me', { token: ann.token })).body.admin).toBe(true)
    expect((await api.call('GET', '/api/v1/me', { token: bob.token })).body.admin).toBe(false)
  })

  it('makes every account listed in TASKFLOW_ADMIN_EMAILS an admin too', async () => {
    const { api, bob } = await world({ TASKFLOW_ADMIN_EMAILS: ' Bob@Example.org , x@y.z' })
    expect((await api.call('GET', '/api/v1/me', { token: bob.token })).body.admin).toBe(true)
    const cat = await signUp(api, 'cat@example.org')
    expect((await api.call('GET', '/api/v1/me', { token: cat.token })).body.admin).toBe(false)
  })
})

describe('GET /admin/accounts', () => {
  it('lists accounts oldest first, page by page', async () => {
    const { api, ann, bob } = await world()
    api.advance(1000)
    const cat = await signUp(api, 'cat@example.org')
    const first = await api.call('GET', '/api/v1/admin/accounts?limit=2', { token: ann.token })
    expect(first.status).toBe(200)
    expect(first.body.accounts.map((a: { email: string }) => a.email)).toEqual([
      'ann@example.org',
      'bob@example.org',
    ])
    expect(first.body.accounts[0]).toEqual({
      id: ann.id,
      email: 'ann@example.org',
      name: 'ann',
      createdAt: new Date(api.now() - 2000).toISOString(),
      disabled: false,
      admin: true,
    })
    expect(first.body.accounts[1]).toMatchObject({ id: bob.id, admin: false })
    const next = await api.call(
      'GET',
      `/api/v1/admin/accounts?limit=2&after=${first.body.nextAfter}`,
      { token: ann.token },
    )
    expect(next.body).toEqual({
      accounts: [expect.objectContaining({ id: cat.id, email: 'cat@example.org' })],
      nextAfter: null,
    })
  })

  it('refuses a malformed cursor with 400', async () => {
    const { api, ann } = await world()
    const r = await api.call('GET', '/api/v1/admin/accounts?after=nope', { token: ann.token })
    expect(r.status).toBe(400)
  })
})

describe('disabling an account', () => {
  it('signs it out, refuses its password with "This account is disabled", and enabling lets it back in', async () => {
    const { api, ann, bob } = await world()
    const off = await api.call('POST', `/api/v1/admin/accounts/${bob.id}/disable`, {
      token: ann.token,
    })
    expect(off.body).toMatchObject({ id: bob.id, disabled: true })
    expect((await api.call('GET', '/api/v1/me', { token: bob.token })).status).toBe(401)

    const wrong = await login(api, 'bob@example.org', 'not the password at all')
    expect(wrong.status).toBe(401)
    expect(wrong.body.error.message).toBe('Invalid e-mail or password')
    const right = await login(api, 'bob@example.org')
    expect(right.status).toBe(403)
    expect(right.body.error.message).toBe('This account is disabled')

    const list = await api.call('GET', '/api/v1/admin/accounts', { token: ann.token })
    expect(list.body.accounts[1]).toMatchObject({ id: bob.id, disabled: true })

    const on = await api.call('POST', `/api/v1/admin/accounts/${bob.id}/enable`, {
      token: ann.token,
    })
    expect(on.body).toMatchObject({ id: bob.id, disabled: false })
    const back = await login(api, 'bob@example.org')
    expect(back.status).toBe(200)
    expect((await api.call('GET', '/api/v1/me', { token: back.body.token })).status).toBe(200)
  })

  it('refuses an admin disabling themselves', async () => {
    const { api, ann } = await world()
    const r = await api.call('POST', `/api/v1/admin/accounts/${ann.id}/disable`, {
      token: ann.token,
    })
    expect(r.status).toBe(409)
    expect(r.body.error.message).toBe('You cannot disable your own account')
    expect((await api.call('GET', '/api/v1/me', { token: ann.token })).status).toBe(200)
  })

  it('lets one admin disable another, and the disabled admin can no longer act', async () => {
    // The last-admin guard itself only bites on a race (two admins disabling each other at
    // once): in sequence, the self-disable refusal and the sign-out already keep one admin.
    const { api, ann, bob } = await world({ TASKFLOW_ADMIN_EMAILS: 'bob@example.org' })
    const off = await api.call('POST', `/api/v1/admin/accounts/${ann.id}/disable`, {
      token: bob.token,
    })
    expect(off.body).toMatchObject({ id: ann.id, admin: true, disabled: true })
    const byAnn = await api.call('POST', `/api/v1/admin/accounts/${bob.id}/disable`, {
      token: ann.token,
    })
    expect(byAnn.status).toBe(401)
    expect((await api.call('GET', '/api/v1/me', { token: bob.token })).body.admin).toBe(true)
  })

  it('answers 404 for an unknown account', async () => {
    const { api, ann } = await world()
    const r = await api.call(
      'POST',
      '/api/v1/admin/accounts/00000000-0000-4000-8000-000000000000/disable',
      { token: ann.token },
    )
    expect(r.status).toBe(404)
  })
})

describe('signup setting', () => {
  it('defaults to open; invite_only refuses a plain register with 403 and accepts one with a valid invitation', async () => {
    const { api, ann } = await world()
    expect((await api.call('GET', '/api/v1/admin/settings', { token: ann.token })).body).toEqual({
      signup: 'open',
    })
    const put = await api.call('PUT', '/api/v1/admin/settings', {
      token: ann.token,
      body: { signup: 'invite_only' },
    })
    expect(put.body).toEqual({ signup: 'invite_only' })

    const plain = await api.call('POST', '/api/v1/auth/register', {
      body: { email: 'dan@example.org', password: PASSWORD, name: 'Dan' },
    })
    expect(plain.status).toBe(403)
    expect(plain.body.error.message).toMatch(/by invitation only/)

    const p = await api.call('POST', '/api/v1/projects', { token: ann.token, body: { name: 'P' } })
    await api.call('POST', `/api/v1/projects/${p.body.id}/members`, {
      token: ann.token,
      body: { email: 'dan@example.org', role: 'member' },
    })
    const mail = await lastMailTo(api.db, 'dan@example.org')
    const token = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!

    const forged = await api.call('POST', '/api/v1/auth/register', {
      body: {
        email: 'dan@example.org',
        password: PASSWORD,
        name: 'Dan',
        invitationToken: 'A'.repeat(43),
      },
    })
    expect(forged.status).toBe(403)
    // The refused attempt left no account behind.
    expect((await login(api, 'dan@example.org')).status).toBe(401)

    const invited = await api.call('POST', '/api/v1/auth/register', {
      body: { email: 'dan@example.org', password: PASSWORD, name: 'Dan', invitationToken: token },
    })
    expect(invited.status).toBe(201)
    expect(invited.body.joinedProjectId).toBe(p.body.id)
  })

  it('refuses an unknown signup mode with 400', async () => {
    const { api, ann } = await world()
    const r = await api.call('PUT', '/api/v1/admin/settings', {
      token: ann.token,
      body: { signup: 'closed' },
    })
    expect(r.status).toBe(400)
  })
})

describe('test e-mail and health', () => {
  it('sends a test e-mail to the admin through the configured mailer (the outbox here)', async () => {
    const { api, ann } = await world()
    const r = await api.call('POST', '/api/v1/admin/test-email', { token: ann.token })
    expect(r.body).toEqual({ to: 'ann@example.org', via: 'outbox' })
    expect((await lastMailTo(api.db, 'ann@example.org')).subject).toBe('TaskFlow test e-mail')
  })

  it('reports version, database size, rooms, derivation lag and mail queue', async () => {
    const { api, ann } = await world()
    const before = await api.call('GET', '/api/v1/admin/health', { token: ann.token })
    await api.call('POST', '/api/v1/admin/test-email', { token: ann.token })
    const r = await api.call('GET', '/api/v1/admin/health', { token: ann.token })
    expect(r.body).toEqual({
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      databaseBytes: expect.any(Number),
      roomsLoaded: 0,
      derivationLag: 0,
      // Bob's sign-up mail is there already; the test e-mail adds one.
      mailQueue: { pending: 0, digest: 0, outbox: before.body.mailQueue.outbox + 1 },
    })
    expect(r.body.databaseBytes).toBeGreaterThan(0)
  })
})
