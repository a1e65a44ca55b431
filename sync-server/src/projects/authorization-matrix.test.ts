import { describe, expect, it } from 'vitest'
import { insertToken, TABLE, TOKEN_ACCESS } from '../test/authorization-matrix.js'
import { ACTORS, createWorld } from '../test/world.js'
import { isRequireRole } from './require-role.js'

/**
 * The session half of the authorization matrix (table: src/test/authorization-matrix.ts):
 * one test per route and actor, in a fresh world. The token half runs in the
 * authorization-matrix.tokens-*.test.ts files. The last tests fail when the app registers
 * an `/api/v1` route missing from the table, or a signed-in route without its token access.
 */
describe('authorization matrix', () => {
  for (const row of TABLE) {
    for (const actor of ACTORS) {
      const status = row.expect[actor]
      it(`${row.method} ${row.route} as ${actor} → ${status}`, async () => {
        // Verification on, so its routes see the accounts they are for (202 sign-ups).
        const w = await createWorld({
          env: { TASKFLOW_EMAIL_VERIFICATION: 'required' },
          hub: true,
        })
        const { path = row.route, body } = row.call(w)
        const token = actor === 'anonymous' ? undefined : w.token[actor]
        const res = await w.api.call(row.method, path, { token, body })
        expect(res.status, JSON.stringify(res.body)).toBe(status)
        if (status >= 400 && row.page) expect(res.headers.get('content-type')).toContain('html')
        else if (status >= 400) expect(res.body.error.code).toEqual(expect.any(String))
      })
    }
  }

  it('covers every /api/v1 route the app registers', async () => {
    const w = await createWorld()
    const registered = new Set(
      w.api.app.routes
        .filter((r) => r.path.startsWith('/api/v1') && r.method !== 'ALL')
        .map((r) => `${r.method} ${r.path}`),
    )
    const covered = new Set(TABLE.map((r) => `${r.method} ${r.route}`))
    expect([...registered].sort()).toEqual([...covered].sort())
  })

  it('checks the role of every project route with the one requireRole middleware', async () => {
    const w = await createWorld()
    const project = w.api.app.routes.filter(
      (r) => r.path.startsWith('/api/v1/projects/:id') && r.method !== 'ALL',
    )
    const guarded = new Set(
      project.filter((r) => isRequireRole(r.handler)).map((r) => `${r.method} ${r.path}`),
    )
    const unguarded = [...new Set(project.map((r) => `${r.method} ${r.path}`))].filter(
      (route) => !guarded.has(route),
    )
    expect(guarded.size).toBeGreaterThan(0)
    expect(unguarded).toEqual([])
  })
})

describe('authorization matrix for personal API tokens', () => {
  it('states the token access of every signed-in route, and of no public one', () => {
    const signedInRoutes = TABLE.filter((r) => r.expect.anonymous === 401).map(
      (r) => `${r.method} ${r.route}`,
    )
    expect(Object.keys(TOKEN_ACCESS).sort()).toEqual(signedInRoutes.sort())
  })

  it('lists only the projects of a project-limited token', async () => {
    const w = await createWorld()
    const other = await w.api.call('POST', '/api/v1/projects', {
      token: w.token.member,
      body: { name: 'Elsewhere' },
    })
    const limited = await insertToken(w, 'member', 'readHere')
    const unlimited = await insertToken(w, 'member', 'read')
    const ids = async (token: string) =>
      (await w.api.call('GET', '/api/v1/projects', { token })).body.projects.map(
        (p: { id: string }) => p.id,
      )
    expect(await ids(limited)).toEqual([w.projectId])
    expect((await ids(unlimited)).sort()).toEqual([w.projectId, other.body.id].sort())
  })
})
