import { describe, expect, it } from 'vitest'
import { createWorld } from '../test/world.js'
import { createSyncAuthorize } from './sync-authorize.js'

describe('sync authorize', () => {
  it('lets viewers read and members and up write, naming the user and session', async () => {
    const w = await createWorld()
    const authorize = createSyncAuthorize(w.api.db, w.api.now)
    const access = async (token: string) => {
      const r = await authorize(token, w.projectId)
      return r.ok ? r.access : r.code
    }
    expect(await access(w.token.viewer)).toBe('read')
    expect(await access(w.token.member)).toBe('write')
    expect(await access(w.token.admin)).toBe('write')
    expect(await access(w.token.owner)).toBe('write')
    expect(await access(w.token.nonMember)).toBe(4403)
    const r = await authorize(w.token.viewer, w.projectId)
    expect(r).toMatchObject({ ok: true, userId: w.userId.viewer, sessionId: expect.any(String) })
  })

  it('answers 4401 without a live session', async () => {
    const w = await createWorld()
    const authorize = createSyncAuthorize(w.api.db, w.api.now)
    expect(await authorize(null, w.projectId)).toMatchObject({ ok: false, code: 4401 })
    expect(await authorize('not-a-token', w.projectId)).toMatchObject({ ok: false, code: 4401 })
    expect(await authorize('A'.repeat(43), w.projectId)).toMatchObject({ ok: false, code: 4401 })
    await w.api.call('POST', '/api/v1/auth/logout', { token: w.token.member })
    expect(await authorize(w.token.member, w.projectId)).toMatchObject({ ok: false, code: 4401 })
    w.api.advance(366 * 86_400_000)
    expect(await authorize(w.token.owner, w.projectId)).toMatchObject({ ok: false, code: 4401 })
  })

  it('answers 4403 for archived, deleted and unknown projects', async () => {
    const w = await createWorld()
    const authorize = createSyncAuthorize(w.api.db, w.api.now)
    const path = `/api/v1/projects/${w.projectId}`
    expect(await authorize(w.token.owner, 'no-such-doc')).toMatchObject({ ok: false, code: 4403 })
    await w.api.call('POST', `${path}/archive`, { token: w.token.owner })
    expect(await authorize(w.token.member, w.projectId)).toMatchObject({ ok: false, code: 4403 })
    await w.api.call('POST', `${path}/restore`, { token: w.token.owner })
    expect(await authorize(w.token.member, w.projectId)).toMatchObject({ ok: true })
    await w.api.call('DELETE', path, { token: w.token.owner })
    expect(await authorize(w.token.owner, w.projectId)).toMatchObject({ ok: false, code: 4403 })
  })
})
