import { getBoardView } from '@taskflow/board'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createTestApi, lastMailTo, recordSyncCalls, signUp } from '../test/test-api.js'
import { createWorld } from '../test/world.js'

describe('projects', () => {
  it('creates the board document with the default columns, attributed to the creator', async () => {
    const api = await createTestApi()
    const ann = await signUp(api, 'ann@example.org')
    const res = await api.call('POST', '/api/v1/projects', {
      token: ann.token,
      body: { name: ' Launch ', description: 'Q1' },
    })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      name: 'Launch',
      description: 'Q1',
      role: 'owner',
      archivedAt: null,
    })
    const rows = await api.db.selectFrom('doc_updates').selectAll().execute()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ doc_name: res.body.id, seq: 1, user_id: ann.id })
    const doc = new Y.Doc()
    Y.applyUpdate(doc, rows[0]!.update)
    const view = getBoardView(doc)
    expect(view.name).toBe('Launch')
    expect(view.columns.map((c) => c.name)).toEqual(['To do', 'In progress', 'Done'])
  })

  it('lists only my projects, each with my role', async () => {
    const api = await createTestApi()
    const ann = await signUp(api, 'ann@example.org')
    const bob = await signUp(api, 'bob@example.org')
    const a = await api.call('POST', '/api/v1/projects', { token: ann.token, body: { name: 'A' } })
    await api.call('POST', '/api/v1/projects', { token: bob.token, body: { name: 'B' } })
    await api.call('POST', `/api/v1/projects/${a.body.id}/members`, {
      token: ann.token,
      body: { email: 'bob@example.org', role: 'viewer' },
    })
    const list = await api.call('GET', '/api/v1/projects', { token: bob.token })
    expect(
      list.body.projects.map((p: { name: string; role: string }) => [p.name, p.role]).sort(),
    ).toEqual([
      ['A', 'viewer'],
      ['B', 'owner'],
    ])
  })

  it('lists archived and active projects apart on request', async () => {
    const api = await createTestApi()
    const ann = await signUp(api, 'ann@example.org')
    const a = await api.call('POST', '/api/v1/projects', { token: ann.token, body: { name: 'A' } })
    await api.call('POST', '/api/v1/projects', { token: ann.token, body: { name: 'B' } })
    await api.call('POST', `/api/v1/projects/${a.body.id}/archive`, { token: ann.token })
    const names = async (q: string) =>
      (await api.call('GET', `/api/v1/projects${q}`, { token: ann.token })).body.projects
        .map((p: { name: string }) => p.name)
        .sort()
    expect(await names('')).toEqual(['A', 'B'])
    expect(await names('?archived=true')).toEqual(['A'])
    expect(await names('?archived=false')).toEqual(['B'])
    const bad = await api.call('GET', '/api/v1/projects?archived=yes', { token: ann.token })
    expect(bad.status).toBe(400)
  })

  it('archiving blocks edits until restored and closes the board to sockets', async () => {
    const w = await createWorld()
    const calls = recordSyncCalls(w.api)
    const path = `/api/v1/projects/${w.projectId}`
    const archived = await w.api.call('POST', `${path}/archive`, { token: w.token.owner })
    expect(archived.body.archivedAt).toEqual(expect.any(String))
    expect(calls).toContainEqual(['reauthorize', { docName: w.projectId }])
    const patch = await w.api.call('PATCH', path, { token: w.token.owner, body: { name: 'X' } })
    expect(patch.status).toBe(409)
    await w.api.call('POST', `${path}/restore`, { token: w.token.owner })
    const again = await w.api.call('PATCH', path, { token: w.token.owner, body: { name: 'X' } })
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ name: 'X', archivedAt: null })
  })

  it('deleting removes the project, its members and its stored document, and closes sockets', async () => {
    const w = await createWorld()
    const calls = recordSyncCalls(w.api)
    const res = await w.api.call('DELETE', `/api/v1/projects/${w.projectId}`, {
      token: w.token.owner,
    })
    expect(res.status).toBe(204)
    expect(calls).toEqual(
      expect.arrayContaining([
        ['closeDocument', w.projectId],
        ['deleteDocument', w.projectId],
      ]),
    )
    for (const table of ['projects', 'project_members', 'invitations', 'doc_updates'] as const) {
      expect(await w.api.db.selectFrom(table).selectAll().execute()).toEqual([])
    }
    const get = await w.api.call('GET', `/api/v1/projects/${w.projectId}`, { token: w.token.owner })
    expect(get.status).toBe(404)
  })
})

describe('members', () => {
  it('lists members with roles, and pending invitations to admins only', async () => {
    const w = await createWorld()
    const asViewer = await w.api.call('GET', `/api/v1/projects/${w.projectId}/members`, {
      token: w.token.viewer,
    })
    expect(asViewer.body.invitations).toEqual([])
    expect(asViewer.body.members).toHaveLength(5)
    const res = await w.api.call('GET', `/api/v1/projects/${w.projectId}/members`, {
      token: w.token.admin,
    })
    expect(res.status).toBe(200)
    const roles = Object.fromEntries(
      res.body.members.map((m: { email: string; role: string }) => [m.email, m.role]),
    )
    expect(roles).toEqual({
      'owner@example.org': 'owner',
      'viewer@example.org': 'viewer',
      'member@example.org': 'member',
      'admin@example.org': 'admin',
      'target@example.org': 'member',
    })
    expect(res.body.invitations).toEqual([
      expect.objectContaining({ email: 'invitee@example.org', role: 'member' }),
    ])
  })

  it('an invitation link works after sign-up and joins with the invited role', async () => {
    const api = await createTestApi({ env: { TASKFLOW_PUBLIC_URL: 'https://tf.example' } })
    const ann = await signUp(api, 'ann@example.org')
    const p = await api.call('POST', '/api/v1/projects', { token: ann.token, body: { name: 'P' } })
    const inv = await api.call('POST', `/api/v1/projects/${p.body.id}/members`, {
      token: ann.token,
      body: { email: 'Cleo@Example.org', role: 'admin' },
    })
    expect(inv.status).toBe(201)
    expect(inv.body).toMatchObject({ status: 'invited', invitation: { email: 'cleo@example.org' } })
    const mail = await lastMailTo(api.db, 'cleo@example.org')
    const token = /https:\/\/tf\.example\/invitations\/([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!

    const lookup = await api.call('POST', '/api/v1/invitations/lookup', { body: { token } })
    expect(lookup.body).toEqual({
      projectName: 'P',
      inviterName: 'ann',
      email: 'cleo@example.org',
      role: 'admin',
      state: 'pending',
    })

    const reg = await api.call('POST', '/api/v1/auth/register', {
      body: {
        email: 'cleo@example.org',
        password: 'long enough',
        name: 'Cleo',
        invitationToken: token,
      },
    })
    expect(reg.status).toBe(201)
    expect(reg.body.joinedProjectId).toBe(p.body.id)
    const got = await api.call('GET', `/api/v1/projects/${p.body.id}`, { token: reg.body.token })
    expect(got.body.role).toBe('admin')
    const again = await api.call('POST', '/api/v1/invitations/accept', {
      token: reg.body.token,
      body: { token },
    })
    expect(again.status).toBe(410)
    expect(again.body.error.code).toBe('gone')
  })

  it('an existing user who was invited by link accepts while signed in', async () => {
    const w = await createWorld()
    const res = await w.api.call('POST', '/api/v1/invitations/accept', {
      token: w.token.nonMember,
      body: { token: w.invitation.token },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: w.projectId, role: 'member' })
  })

  it('inviting an existing user adds them at once; inviting a member again is a conflict', async () => {
    const w = await createWorld()
    const path = `/api/v1/projects/${w.projectId}/members`
    const res = await w.api.call('POST', path, {
      token: w.token.admin,
      body: { email: 'NONMEMBER@example.org', role: 'viewer' },
    })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      status: 'added',
      member: { userId: w.userId.nonMember, role: 'viewer' },
    })
    const dup = await w.api.call('POST', path, {
      token: w.token.admin,
      body: { email: 'viewer@example.org', role: 'member' },
    })
    expect(dup.status).toBe(409)
  })

  it('keeps at least one owner', async () => {
    const w = await createWorld()
    const path = `/api/v1/projects/${w.projectId}`
    const owner = w.userId.owner
    const demote = await w.api.call('PATCH', `${path}/members/${owner}`, {
      token: w.token.owner,
      body: { role: 'admin' },
    })
    expect(demote.status).toBe(409)
    const remove = await w.api.call('DELETE', `${path}/members/${owner}`, { token: w.token.owner })
    expect(remove.status).toBe(409)
    expect((await w.api.call('POST', `${path}/leave`, { token: w.token.owner })).status).toBe(409)

    // With a second owner, the first may step down.
    await w.api.call('PATCH', `${path}/members/${w.userId.admin}`, {
      token: w.token.owner,
      body: { role: 'owner' },
    })
    expect((await w.api.call('POST', `${path}/leave`, { token: w.token.owner })).status).toBe(204)
    const last = await w.api.call('PATCH', `${path}/members/${w.userId.admin}`, {
      token: w.token.admin,
      body: { role: 'member' },
    })
    expect(last.status).toBe(409)
    expect(last.body.error.code).toBe('conflict')
  })

  it('only owners grant, change or remove the owner role', async () => {
    const w = await createWorld()
    const path = `/api/v1/projects/${w.projectId}`
    const asAdmin = (method: string, sub: string, body?: unknown) =>
      w.api.call(method, `${path}${sub}`, { token: w.token.admin, body })
    expect((await asAdmin('PATCH', `/members/${w.target.id}`, { role: 'owner' })).status).toBe(403)
    expect((await asAdmin('PATCH', `/members/${w.userId.owner}`, { role: 'member' })).status).toBe(
      403,
    )
    expect((await asAdmin('DELETE', `/members/${w.userId.owner}`)).status).toBe(403)
    expect(
      (await asAdmin('POST', '/members', { email: 'x@example.org', role: 'owner' })).status,
    ).toBe(403)
    expect((await asAdmin('PATCH', `/members/${w.target.id}`, { role: 'admin' })).status).toBe(200)
  })

  it('role changes, removals and leaving tell the sync hub about that user', async () => {
    const w = await createWorld()
    const calls = recordSyncCalls(w.api)
    const path = `/api/v1/projects/${w.projectId}`
    await w.api.call('PATCH', `${path}/members/${w.target.id}`, {
      token: w.token.owner,
      body: { role: 'viewer' },
    })
    await w.api.call('DELETE', `${path}/members/${w.userId.member}`, { token: w.token.owner })
    await w.api.call('POST', `${path}/leave`, { token: w.token.viewer })
    expect(calls).toEqual(
      expect.arrayContaining([
        ['reauthorize', { docName: w.projectId, userId: w.target.id }],
        ['reauthorize', { docName: w.projectId, userId: w.userId.member }],
        ['reauthorize', { docName: w.projectId, userId: w.userId.viewer }],
      ]),
    )
    const gone = await w.api.call('GET', path, { token: w.token.member })
    expect(gone.status).toBe(403)
  })

  it('answers unknown projects, members and invitations with 404', async () => {
    const w = await createWorld()
    const none = '00000000-0000-4000-8000-000000000000'
    const o = { token: w.token.owner }
    expect((await w.api.call('GET', `/api/v1/projects/${none}`, o)).status).toBe(404)
    const p = `/api/v1/projects/${w.projectId}`
    expect((await w.api.call('DELETE', `${p}/members/${none}`, o)).status).toBe(404)
    expect((await w.api.call('DELETE', `${p}/invitations/${none}`, o)).status).toBe(404)
  })
})

describe('invitation links', () => {
  const DAY = 86_400_000
  const linkIn = (text: string) =>
    /https:\/\/tf\.example\/invitations\/([A-Za-z0-9_-]{43})/.exec(text)![1]!

  /** Ann's project with Dave (no account) invited as member; Ann is `owner`. */
  async function invited(env: Record<string, string> = {}) {
    const api = await createTestApi({ env: { TASKFLOW_PUBLIC_URL: 'https://tf.example', ...env } })
    const ann = await signUp(api, 'ann@example.org', 'Ann')
    const p = await api.call('POST', '/api/v1/projects', { token: ann.token, body: { name: 'P' } })
    const inv = await api.call('POST', `/api/v1/projects/${p.body.id}/members`, {
      token: ann.token,
      body: { email: 'dave@example.com', role: 'member' },
    })
    const token = linkIn((await lastMailTo(api.db, 'dave@example.com')).text)
    const lookup = (t = token) =>
      api.call('POST', '/api/v1/invitations/lookup', { body: { token: t } })
    return { api, ann, projectId: p.body.id as string, id: inv.body.invitation.id, token, lookup }
  }

  it('an unknown link answers 404 and a revoked one too', async () => {
    const w = await invited()
    const unknown = await w.lookup('x'.repeat(43))
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.code).toBe('not_found')
    await w.api.call('DELETE', `/api/v1/projects/${w.projectId}/invitations/${w.id}`, {
      token: w.ann.token,
    })
    expect((await w.lookup()).status).toBe(404)
  })

  it('an admin cannot revoke an invitation to the owner role; the owner can', async () => {
    const w = await invited()
    const cleo = await signUp(w.api, 'cleo@example.org', 'Cleo')
    await w.api.call('POST', `/api/v1/projects/${w.projectId}/members`, {
      token: w.ann.token,
      body: { email: 'cleo@example.org', role: 'admin' },
    })
    const ownerInvite = await w.api.call('POST', `/api/v1/projects/${w.projectId}/members`, {
      token: w.ann.token,
      body: { email: 'olga@example.com', role: 'owner' },
    })
    const path = `/api/v1/projects/${w.projectId}/invitations/${ownerInvite.body.invitation.id}`
    const byAdmin = await w.api.call('DELETE', path, { token: cleo.token })
    expect(byAdmin.status).toBe(403)
    const list = await w.api.call('GET', `/api/v1/projects/${w.projectId}/members`, {
      token: w.ann.token,
    })
    expect(list.body.invitations.map((i: { email: string }) => i.email)).toContain(
      'olga@example.com',
    )
    // A member-role invitation the admin may revoke.
    expect(
      (
        await w.api.call('DELETE', `/api/v1/projects/${w.projectId}/invitations/${w.id}`, {
          token: cleo.token,
        })
      ).status,
    ).toBe(204)
    expect((await w.api.call('DELETE', path, { token: w.ann.token })).status).toBe(204)
  })

  it('an expired link answers 410 gone, for lookup and accept alike', async () => {
    const w = await invited()
    w.api.advance(14 * DAY - 1)
    expect((await w.lookup()).status).toBe(200)
    w.api.advance(1)
    const res = await w.lookup()
    expect(res.status).toBe(410)
    expect(res.body.error).toEqual({ code: 'gone', message: expect.stringMatching(/expired/) })
    const bob = await signUp(w.api, 'bob@example.org')
    const accept = await w.api.call('POST', '/api/v1/invitations/accept', {
      token: bob.token,
      body: { token: w.token },
    })
    expect(accept.status).toBe(410)
  })

  it('a used link answers 410 gone and no longer shows as pending', async () => {
    const w = await invited()
    const dave = await w.api.call('POST', '/api/v1/auth/register', {
      body: {
        email: 'dave@example.com',
        password: 'long enough',
        name: 'Dave',
        invitationToken: w.token,
      },
    })
    expect(dave.body.joinedProjectId).toBe(w.projectId)
    expect((await w.lookup()).status).toBe(410)
    const list = await w.api.call('GET', `/api/v1/projects/${w.projectId}/members`, {
      token: w.ann.token,
    })
    expect(list.body.invitations).toEqual([])
    const revoke = await w.api.call(
      'DELETE',
      `/api/v1/projects/${w.projectId}/invitations/${w.id}`,
      {
        token: w.ann.token,
      },
    )
    expect(revoke.status).toBe(404)
  })

  it('resend mails a new link with a fresh expiry; the old link stops working', async () => {
    const w = await invited()
    w.api.advance(10 * DAY)
    const res = await w.api.call(
      'POST',
      `/api/v1/projects/${w.projectId}/invitations/${w.id}/resend`,
      { token: w.ann.token },
    )
    expect(res.status).toBe(200)
    expect(res.body.invitation).toMatchObject({ id: w.id, email: 'dave@example.com' })
    const fresh = linkIn((await lastMailTo(w.api.db, 'dave@example.com')).text)
    expect(fresh).not.toBe(w.token)
    expect((await w.lookup()).status).toBe(404)
    w.api.advance(10 * DAY)
    expect((await w.lookup(fresh)).body).toMatchObject({ inviterName: 'Ann', state: 'pending' })
  })

  it('resend counts against the invitation rate limit', async () => {
    const w = await invited({ TASKFLOW_INVITES_PER_HOUR: '2' })
    const resend = () =>
      w.api.call('POST', `/api/v1/projects/${w.projectId}/invitations/${w.id}/resend`, {
        token: w.ann.token,
      })
    expect((await resend()).status).toBe(200)
    const refused = await resend()
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('resend is for admins and owners; an admin cannot resend an owner invitation', async () => {
    const w = await createWorld()
    const path = `/api/v1/projects/${w.projectId}/invitations/${w.invitation.id}/resend`
    expect((await w.api.call('POST', path, { token: w.token.member })).status).toBe(403)
    expect((await w.api.call('POST', path, { token: w.token.nonMember })).status).toBe(403)
    const owner = await w.api.call('POST', `/api/v1/projects/${w.projectId}/members`, {
      token: w.token.owner,
      body: { email: 'co-owner@example.org', role: 'owner' },
    })
    const ownerInvite = `/api/v1/projects/${w.projectId}/invitations/${owner.body.invitation.id}/resend`
    expect((await w.api.call('POST', ownerInvite, { token: w.token.admin })).status).toBe(403)
    expect((await w.api.call('POST', ownerInvite, { token: w.token.owner })).status).toBe(200)
    const none = `/api/v1/projects/${w.projectId}/invitations/00000000-0000-4000-8000-000000000000/resend`
    expect((await w.api.call('POST', none, { token: w.token.owner })).status).toBe(404)
  })
})
