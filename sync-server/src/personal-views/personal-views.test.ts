import { describe, expect, it } from 'vitest'
import { createWorld, type World } from '../test/world.js'

const state = (text: string) => ({
  kind: 'list',
  filter: { fields: { assignee: ['me'] }, text },
  sort: { key: 'dueDate', desc: true },
  group: 'status',
  columns: ['title', 'dueDate'],
})

function put(w: World, viewId: string, body: Record<string, unknown>, token = w.token.member) {
  return w.api.call('PUT', `/api/v1/me/views/${viewId}`, {
    token,
    body: { projectId: w.projectId, name: 'Mine', state: state(''), updatedAt: 1000, ...body },
  })
}
const list = (w: World, token = w.token.member) =>
  w.api.call('GET', `/api/v1/me/views?projectId=${w.projectId}`, { token })

describe('personal views (/me/views)', () => {
  it("stores a view for its user only: the same user's other session reads it, a teammate does not", async () => {
    const w = await createWorld()
    const saved = await put(w, 'view-1', { name: 'Due soon', state: state('login') })
    expect(saved.status, JSON.stringify(saved.body)).toBe(200)
    expect(saved.body).toEqual({
      id: 'view-1',
      projectId: w.projectId,
      name: 'Due soon',
      state: state('login'),
      updatedAt: 1000,
    })
    expect((await list(w)).body).toEqual({ views: [saved.body], deleted: [] })
    expect((await list(w, w.token.admin)).body).toEqual({ views: [], deleted: [] })
  })

  it('keeps the newer write by updatedAt whatever order writes arrive in; replays are harmless', async () => {
    const w = await createWorld()
    expect((await put(w, 'v', { name: 'Newer', updatedAt: 2000 })).body.name).toBe('Newer')
    // An older edit made offline on another device arrives late: the stored view stands.
    const late = await put(w, 'v', { name: 'Older', updatedAt: 1500 })
    expect(late.status).toBe(200)
    expect(late.body).toMatchObject({ name: 'Newer', updatedAt: 2000 })
    // The same write twice: same answer.
    expect((await put(w, 'v', { name: 'Newest', updatedAt: 3000 })).body.name).toBe('Newest')
    expect((await put(w, 'v', { name: 'Newest', updatedAt: 3000 })).body.name).toBe('Newest')
    expect((await list(w)).body.views.map((v: { name: string }) => v.name)).toEqual(['Newest'])
  })

  it('deletes as a tombstone: other devices learn of it, and an older edit cannot bring it back', async () => {
    const w = await createWorld()
    await put(w, 'v', { updatedAt: 1000 })
    const del = await w.api.call('DELETE', '/api/v1/me/views/v?updatedAt=2000', {
      token: w.token.member,
    })
    expect(del.status).toBe(204)
    expect((await list(w)).body).toEqual({ views: [], deleted: [{ id: 'v', updatedAt: 2000 }] })
    const stale = await put(w, 'v', { updatedAt: 1500 })
    expect(stale.status).toBe(410)
    expect((await list(w)).body.views).toEqual([])
    // A later edit wins over the deletion (last writer wins both ways).
    expect((await put(w, 'v', { updatedAt: 2500 })).status).toBe(200)
    expect((await list(w)).body.views).toHaveLength(1)
    // Deleting an unknown view is fine (idempotent).
    const unknown = await w.api.call('DELETE', '/api/v1/me/views/never', { token: w.token.member })
    expect(unknown.status).toBe(204)
  })

  it('answers 404 for a project the user cannot read, and stores nothing', async () => {
    const w = await createWorld()
    const res = await put(w, 'v', {}, w.token.nonMember)
    expect(res.status).toBe(404)
    expect((await list(w, w.token.nonMember)).status).toBe(404)
    const rows = await w.api.db.selectFrom('personal_views').selectAll().execute()
    expect(rows).toEqual([])
  })

  it('refuses an id already used for a view of another project (409)', async () => {
    const w = await createWorld()
    await put(w, 'v', {})
    const other = await w.api.call('POST', '/api/v1/projects', {
      token: w.token.member,
      body: { name: 'Other' },
    })
    const res = await put(w, 'v', { projectId: other.body.id })
    expect(res.status).toBe(409)
  })

  it('refuses bad input with 400 and changes nothing', async () => {
    const w = await createWorld()
    const bad: Array<[string, Record<string, unknown>]> = [
      ['v', { name: '  ' }],
      ['v', { updatedAt: -1 }],
      ['v', { updatedAt: 'yesterday' }],
      ['v', { projectId: 'not-a-uuid' }],
      ['v', { state: 'list' }],
      ['v', { state: { ...state(''), kind: 42 } }],
      ['v', { state: { ...state(''), columns: Array.from({ length: 51 }, () => 'title') } }],
      ['v', { state: { ...state(''), extra: 'x'.repeat(9000) } }],
      ['v', { unknownField: 1 }],
      ['bad%20id', {}],
      ['x'.repeat(65), {}],
    ]
    for (const [id, body] of bad) {
      const res = await put(w, id, body)
      expect(res.status, `${id} ${JSON.stringify(body).slice(0, 80)}`).toBe(400)
    }
    expect((await w.api.call('GET', '/api/v1/me/views', { token: w.token.member })).status).toBe(
      400,
    )
    expect(
      (await w.api.call('DELETE', '/api/v1/me/views/v?updatedAt=soon', { token: w.token.member }))
        .status,
    ).toBe(400)
    expect(await w.api.db.selectFrom('personal_views').selectAll().execute()).toEqual([])
  })
})
