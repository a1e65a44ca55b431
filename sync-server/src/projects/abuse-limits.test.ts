import { describe, expect, it } from 'vitest'
import { createTestApi, signUp, type TestApi } from '../test/test-api.js'

const HOUR = 3_600_000

const createProject = (api: TestApi, token: string, name = 'P') =>
  api.call('POST', '/api/v1/projects', { token, body: { name } })

const invite = (api: TestApi, token: string, projectId: string, email: string) =>
  api.call('POST', `/api/v1/projects/${projectId}/members`, {
    token,
    body: { email, role: 'member' },
  })

const outboxSize = async (api: TestApi) =>
  (await api.db.selectFrom('mail_outbox').select('id').execute()).length

describe('project creation limit', () => {
  it('refuses projects past TASKFLOW_PROJECTS_PER_HOUR per account with 429 and Retry-After, creating nothing', async () => {
    const api = await createTestApi({ env: { TASKFLOW_PROJECTS_PER_HOUR: '3' } })
    const ann = await signUp(api, 'ann@example.org')
    const bob = await signUp(api, 'bob@example.org')
    for (let i = 0; i < 3; i++) {
      expect((await createProject(api, ann.token)).status).toBe(201)
      api.advance(10 * 60_000)
    }
    const refused = await createProject(api, ann.token, 'Spam')
    expect(refused.status).toBe(429)
    expect(refused.body.error.code).toBe('rate_limited')
    expect(refused.body.error.message).toMatch(/at most 3 projects per hour/)
    // The first of the three leaves the window 30 minutes from now.
    expect(refused.headers.get('retry-after')).toBe(String(30 * 60))
    const names = await api.db.selectFrom('projects').select('name').execute()
    expect(names.map((p) => p.name)).not.toContain('Spam')

    expect((await createProject(api, bob.token)).status).toBe(201)
    api.advance(30 * 60_000)
    expect((await createProject(api, ann.token)).status).toBe(201)
  })
})

describe('invitation limits', () => {
  it('refuses invitations past TASKFLOW_INVITES_PER_HOUR per account, across projects, and sends no mail', async () => {
    const api = await createTestApi({ env: { TASKFLOW_INVITES_PER_HOUR: '2' } })
    const ann = await signUp(api, 'ann@example.org')
    const p1 = (await createProject(api, ann.token, 'One')).body.id
    const p2 = (await createProject(api, ann.token, 'Two')).body.id
    expect((await invite(api, ann.token, p1, 'x1@example.org')).status).toBe(201)
    expect((await invite(api, ann.token, p1, 'x2@example.org')).status).toBe(201)
    const mails = await outboxSize(api)

    const refused = await invite(api, ann.token, p2, 'x3@example.org')
    expect(refused.status).toBe(429)
    expect(refused.body.error.message).toMatch(/at most 2 per hour from one account/)
    expect(refused.headers.get('retry-after')).toBe(String(HOUR / 1000))
    expect(await outboxSize(api)).toBe(mails)
    const members = await api.call('GET', `/api/v1/projects/${p2}/members`, { token: ann.token })
    expect(members.body.invitations).toEqual([])

    api.advance(HOUR)
    expect((await invite(api, ann.token, p2, 'x3@example.org')).status).toBe(201)
  })

  it('counts additions of existing accounts too, since they are e-mailed as well', async () => {
    const api = await createTestApi({ env: { TASKFLOW_INVITES_PER_HOUR: '1' } })
    const ann = await signUp(api, 'ann@example.org')
    await signUp(api, 'bob@example.org')
    await signUp(api, 'cy@example.org')
    const p = (await createProject(api, ann.token)).body.id
    expect((await invite(api, ann.token, p, 'bob@example.org')).body.status).toBe('added')
    expect((await invite(api, ann.token, p, 'cy@example.org')).status).toBe(429)
  })

  it('refuses invitations past TASKFLOW_INVITES_PER_PROJECT_PER_DAY per project, whoever sends them', async () => {
    const api = await createTestApi({ env: { TASKFLOW_INVITES_PER_PROJECT_PER_DAY: '3' } })
    const ann = await signUp(api, 'ann@example.org')
    const bob = await signUp(api, 'bob@example.org')
    const p = (await createProject(api, ann.token)).body.id
    const other = (await createProject(api, ann.token, 'Other')).body.id
    const added = await invite(api, ann.token, p, 'bob@example.org')
    await api.call('PATCH', `/api/v1/projects/${p}/members/${added.body.member.userId}`, {
      token: ann.token,
      body: { role: 'admin' },
    })
    expect((await invite(api, ann.token, p, 'x1@example.org')).status).toBe(201)
    api.advance(HOUR)
    expect((await invite(api, bob.token, p, 'x2@example.org')).status).toBe(201)

    const refused = await invite(api, bob.token, p, 'x3@example.org')
    expect(refused.status).toBe(429)
    expect(refused.body.error.message).toMatch(/3 per day to one project/)
    expect(refused.headers.get('retry-after')).toBe(String(23 * 3600))
    // Another project of the same account is not affected.
    expect((await invite(api, ann.token, other, 'x3@example.org')).status).toBe(201)
    api.advance(23 * HOUR)
    expect((await invite(api, bob.token, p, 'x3@example.org')).status).toBe(201)
  })

  it('does not count requests refused for lack of permission', async () => {
    const api = await createTestApi({ env: { TASKFLOW_INVITES_PER_PROJECT_PER_DAY: '1' } })
    const ann = await signUp(api, 'ann@example.org')
    const eve = await signUp(api, 'eve@example.org')
    const p = (await createProject(api, ann.token)).body.id
    for (let i = 0; i < 3; i++) {
      expect((await invite(api, eve.token, p, `x${i}@example.org`)).status).toBe(403)
    }
    expect((await invite(api, ann.token, p, 'friend@example.org')).status).toBe(201)
  })
})
