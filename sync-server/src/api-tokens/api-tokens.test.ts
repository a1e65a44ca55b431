import { createHash } from 'node:crypto'
import { MAX_API_TOKENS_PER_USER } from '@taskflow/api'
import { describe, expect, it } from 'vitest'
import { connectProvider } from '../sync/sync-test-utils.js'
import { collabWorld, json } from '../test/collab.js'
import { createTestApi, signUp, type TestApi } from '../test/test-api.js'
import { snapshotDatabase } from '../test/world.js'

const MIN = 60_000

/** A signed-in user with one project, over the in-process app. */
async function setup(env: Record<string, string> = {}) {
  const api = await createTestApi({ env })
  // The first account is the instance admin; the tests act as the second.
  const admin = await signUp(api, 'root@example.org')
  const ann = await signUp(api, 'ann@example.org')
  const project = await api.call('POST', '/api/v1/projects', {
    token: ann.token,
    body: { name: 'Launch' },
  })
  expect(project.status).toBe(201)
  return { api, admin, ann, projectId: project.body.id as string }
}

async function createToken(api: TestApi, session: string, body: Record<string, unknown>) {
  const res = await api.call('POST', '/api/v1/me/tokens', { token: session, body })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body as { id: string; token: string }
}

const listTokens = async (api: TestApi, session: string) =>
  (await api.call('GET', '/api/v1/me/tokens', { token: session })).body.tokens

describe('personal API tokens', () => {
  it('creates a tfp_ token shown once, stored only as its SHA-256, that acts as its owner', async () => {
    const { api, ann, projectId } = await setup()
    const created = await api.call('POST', '/api/v1/me/tokens', {
      token: ann.token,
      body: { name: 'CI', scope: 'write', expiresAt: '2027-01-01T00:00:00Z' },
    })
    expect(created.status).toBe(201)
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'CI',
      scope: 'write',
      projectIds: null,
      expiresAt: '2027-01-01T00:00:00.000Z',
      token: expect.stringMatching(/^tfp_[A-Za-z0-9_-]{43}$/),
    })
    const secret: string = created.body.token

    const listed = await api.call('GET', '/api/v1/me/tokens', { token: ann.token })
    expect(listed.body.tokens).toEqual([
      {
        id: created.body.id,
        name: 'CI',
        scope: 'write',
        projectIds: null,
        expiresAt: '2027-01-01T00:00:00.000Z',
        createdAt: new Date(api.now()).toISOString(),
        lastUsedAt: null,
      },
    ])
    const dump = await api.db.selectFrom('api_tokens').selectAll().execute()
    expect(JSON.stringify(dump)).not.toContain(secret.slice(4))
    expect(dump[0]!.token_hash).toBe(createHash('sha256').update(secret).digest('hex'))

    const me = await api.call('GET', '/api/v1/me', { token: secret })
    expect(me.status).toBe(200)
    expect(me.body.id).toBe(ann.id)
    const renamed = await api.call('PATCH', `/api/v1/projects/${projectId}`, {
      token: secret,
      body: { name: 'Renamed by CI' },
    })
    expect(renamed.status).toBe(200)
    expect(renamed.body.name).toBe('Renamed by CI')
  })

  it('refuses bad input with 400 and creates nothing', async () => {
    const { api, admin, ann, projectId } = await setup()
    const theirs = await api.call('POST', '/api/v1/projects', {
      token: admin.token,
      body: { name: 'Not Ann’s' },
    })
    const before = await snapshotDatabase(api)
    const bad: [Record<string, unknown>, string][] = [
      [{ name: '', scope: 'read' }, 'name'],
      [{ name: 'x'.repeat(101), scope: 'read' }, 'name'],
      [{ name: 'line\nbreak', scope: 'read' }, 'name'],
      [{ name: 'CI', scope: 'admin' }, 'scope'],
      [{ name: 'CI', scope: 'read', projectIds: [] }, 'projectIds'],
      [{ name: 'CI', scope: 'read', projectIds: ['nope'] }, 'projectIds'],
      // Someone else's project and a project that does not exist: the same answer.
      [{ name: 'CI', scope: 'read', projectIds: [projectId, theirs.body.id] }, 'projectIds'],
      [
        { name: 'CI', scope: 'read', projectIds: ['00000000-0000-4000-8000-000000000000'] },
        'projectIds',
      ],
      // One minute in the past on the server's clock, whatever today's date is.
      [
        { name: 'CI', scope: 'read', expiresAt: new Date(api.now() - MIN).toISOString() },
        'expiresAt',
      ],
      [{ name: 'CI', scope: 'read', expiresAt: 'tomorrow' }, 'expiresAt'],
      [{ name: 'CI', scope: 'read', extra: 1 }, ''],
    ]
    for (const [body, field] of bad) {
      const res = await api.call('POST', '/api/v1/me/tokens', { token: ann.token, body })
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
      expect(res.body.error.message).toContain(field)
    }
    expect(await snapshotDatabase(api)).toBe(before)
    expect(await listTokens(api, ann.token)).toEqual([])
  })

  it(`caps live tokens at ${MAX_API_TOKENS_PER_USER} per account; expired ones do not count`, async () => {
    const { api, ann } = await setup()
    await createToken(api, ann.token, {
      name: 'short-lived',
      scope: 'read',
      expiresAt: new Date(api.now() + MIN).toISOString(),
    })
    for (let i = 1; i < MAX_API_TOKENS_PER_USER; i++) {
      await createToken(api, ann.token, { name: `t${i}`, scope: 'read' })
    }
    const over = await api.call('POST', '/api/v1/me/tokens', {
      token: ann.token,
      body: { name: 'one too many', scope: 'read' },
    })
    expect(over.status).toBe(409)
    expect(over.body.error.message).toContain('revoke one')
    api.advance(MIN)
    await createToken(api, ann.token, { name: 'after expiry', scope: 'read' })
  })

  it('answers 401 for an expired, revoked, unknown or malformed token', async () => {
    const { api, ann } = await setup()
    const expiring = await createToken(api, ann.token, {
      name: 'expiring',
      scope: 'read',
      expiresAt: new Date(api.now() + 10 * MIN).toISOString(),
    })
    const revoked = await createToken(api, ann.token, { name: 'revoked', scope: 'read' })
    const status = async (token: string) => (await api.call('GET', '/api/v1/me', { token })).status
    expect(await status(expiring.token)).toBe(200)
    expect(await status(revoked.token)).toBe(200)

    const del = await api.call('DELETE', `/api/v1/me/tokens/${revoked.id}`, { token: ann.token })
    expect(del.status).toBe(204)
    expect(await status(revoked.token)).toBe(401)
    api.advance(10 * MIN)
    const res = await api.call('GET', '/api/v1/projects', { token: expiring.token })
    expect(res.status).toBe(401)
    expect(res.body.error.code).toBe('unauthenticated')
    expect(res.headers.get('www-authenticate')).toBe('Bearer')
    expect(await status(`tfp_${'A'.repeat(43)}`)).toBe(401)
    expect(await status(`tfp_${'A'.repeat(42)}`)).toBe(401)
    // Listed until revoked, expired or not: the settings page shows it as expired.
    expect((await listTokens(api, ann.token)).map((t: { name: string }) => t.name)).toEqual([
      'expiring',
    ])
  })

  it("revokes only the caller's own tokens (404 for anyone else's)", async () => {
    const { api, admin, ann } = await setup()
    const mine = await createToken(api, ann.token, { name: 'mine', scope: 'read' })
    const del = await api.call('DELETE', `/api/v1/me/tokens/${mine.id}`, { token: admin.token })
    expect(del.status).toBe(404)
    expect((await api.call('GET', '/api/v1/me', { token: mine.token })).status).toBe(200)
  })

  it("stops a disabled account's tokens at once, and they work again when it is enabled", async () => {
    const { api, admin, ann } = await setup()
    const t = await createToken(api, ann.token, { name: 'CI', scope: 'read' })
    const off = await api.call('POST', `/api/v1/admin/accounts/${ann.id}/disable`, {
      token: admin.token,
    })
    expect(off.status).toBe(200)
    expect((await api.call('GET', '/api/v1/me', { token: t.token })).status).toBe(401)
    await api.call('POST', `/api/v1/admin/accounts/${ann.id}/enable`, { token: admin.token })
    expect((await api.call('GET', '/api/v1/me', { token: t.token })).status).toBe(200)
  })

  it('records the last use at most once a minute per token', async () => {
    const { api, ann } = await setup()
    const t = await createToken(api, ann.token, { name: 'CI', scope: 'read' })
    const lastUsed = async () => (await listTokens(api, ann.token))[0].lastUsedAt
    expect(await lastUsed()).toBeNull()
    const first = api.now()
    await api.call('GET', '/api/v1/me', { token: t.token })
    expect(await lastUsed()).toBe(new Date(first).toISOString())
    api.advance(MIN - 1000)
    await api.call('GET', '/api/v1/me', { token: t.token })
    expect(await lastUsed()).toBe(new Date(first).toISOString())
    api.advance(1000)
    await api.call('GET', '/api/v1/me', { token: t.token })
    expect(await lastUsed()).toBe(new Date(first + MIN).toISOString())
  })

  it('rate-limits each token on its own (429 with Retry-After) per TASKFLOW_API_TOKEN_REQUESTS_PER_MINUTE', async () => {
    const { api, ann } = await setup({ TASKFLOW_API_TOKEN_REQUESTS_PER_MINUTE: '3' })
    const busy = await createToken(api, ann.token, { name: 'busy', scope: 'read' })
    const calm = await createToken(api, ann.token, { name: 'calm', scope: 'read' })
    for (let i = 0; i < 3; i++) {
      expect((await api.call('GET', '/api/v1/me', { token: busy.token })).status).toBe(200)
      api.advance(10_000)
    }
    const refused = await api.call('GET', '/api/v1/me', { token: busy.token })
    expect(refused.status).toBe(429)
    expect(refused.body.error.code).toBe('rate_limited')
    // The first of the three requests leaves the window 30 s from now.
    expect(refused.headers.get('retry-after')).toBe('30')
    expect((await api.call('GET', '/api/v1/me', { token: calm.token })).status).toBe(200)
    // Sessions are not counted against the owner's tokens.
    expect((await api.call('GET', '/api/v1/me', { token: ann.token })).status).toBe(200)
    api.advance(30_000)
    expect((await api.call('GET', '/api/v1/me', { token: busy.token })).status).toBe(200)
  })

  it('cannot manage tokens, passwords, sessions or the account (403)', async () => {
    const { api, ann } = await setup()
    const t = await createToken(api, ann.token, { name: 'CI', scope: 'write' })
    const calls: [string, string, unknown?][] = [
      ['GET', '/api/v1/me/tokens'],
      ['POST', '/api/v1/me/tokens', { name: 'minted', scope: 'write' }],
      ['DELETE', `/api/v1/me/tokens/${t.id}`],
      [
        'POST',
        '/api/v1/me/password',
        { currentPassword: 'x'.repeat(8), newPassword: 'y'.repeat(12) },
      ],
      ['PATCH', '/api/v1/me', { name: 'Mallory' }],
      ['POST', '/api/v1/auth/logout'],
      ['GET', '/api/v1/notifications/stream'],
    ]
    // Used once first, so its last-use time is already recorded and the snapshot stays put.
    expect((await api.call('GET', '/api/v1/me', { token: t.token })).status).toBe(200)
    const before = await snapshotDatabase(api)
    for (const [method, path, body] of calls) {
      const res = await api.call(method, path, { token: t.token, body })
      expect(res.status, `${method} ${path}`).toBe(403)
      expect(res.body.error.code).toBe('forbidden')
    }
    expect(await snapshotDatabase(api)).toBe(before)
    expect(await listTokens(api, ann.token)).toHaveLength(1)
  })
})

describe('API tokens and sync', () => {
  it('are refused by /sync: sockets stay session-only (4401)', async () => {
    const { server, projectId, ann } = await collabWorld()
    const created = await json(server, 'POST', '/me/tokens', ann.token, {
      name: 'CI',
      scope: 'write',
    })
    expect(created.status).toBe(201)
    // The same token works over REST on the running server...
    expect((await json(server, 'GET', `/projects/${projectId}`, created.body.token)).status).toBe(
      200,
    )
    // ...but a provider using it as its sync token is closed as unauthenticated.
    const closed = new Promise<number>((resolve, reject) => {
      const provider = connectProvider(server, projectId, { token: created.body.token })
      provider.on('connection-close', (e: { code: number } | null) => resolve(e?.code ?? -1))
      provider.on('sync', (synced: boolean) => synced && reject(new Error('synced with a token')))
    })
    expect(await closed).toBe(4401)
  })
})
