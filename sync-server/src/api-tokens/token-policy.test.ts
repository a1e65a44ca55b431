import { describe, expect, it } from 'vitest'
import { type TokenGrant, tokenPolicy } from './token-policy.js'

const P = '6f1c1d2e-0000-4000-8000-000000000001'
const write: TokenGrant = { scope: 'write', projectIds: null }
const read: TokenGrant = { scope: 'read', projectIds: null }
const limited: TokenGrant = { scope: 'write', projectIds: [P] }

/** Routes other work adds later (task API, webhooks, importers): safe before anyone lists them. */
describe('token policy for routes nobody listed', () => {
  it('refuses a new account-level route by default (403)', () => {
    for (const route of [
      '/api/v1/me/sessions',
      '/api/v1/me/email',
      '/api/v1/me/devices',
      '/sync/:doc',
    ]) {
      expect(tokenPolicy(write, 'GET', route, undefined)).toMatchObject({ ok: false, status: 403 })
    }
  })

  it('opens search to every token, limited ones included (its handler filters the projects)', () => {
    for (const grant of [write, read, limited]) {
      expect(tokenPolicy(grant, 'GET', '/api/v1/search', undefined)).toEqual({ ok: true })
    }
  })

  it('opens a new project route with the project limit and the scope applied', () => {
    const route = '/api/v1/projects/:id/tasks'
    expect(tokenPolicy(write, 'POST', route, P)).toEqual({ ok: true })
    expect(tokenPolicy(read, 'GET', route, P)).toEqual({ ok: true })
    expect(tokenPolicy(read, 'HEAD', route, P)).toEqual({ ok: true })
    expect(tokenPolicy(read, 'POST', route, P)).toMatchObject({ ok: false, status: 403 })
    expect(tokenPolicy(limited, 'POST', route, 'another')).toMatchObject({ ok: false, status: 404 })
  })

  it('refuses a project route whose parameter is not named :id (no project to check)', () => {
    const route = '/api/v1/projects/:projectId/tasks'
    expect(tokenPolicy(write, 'GET', route, undefined)).toMatchObject({ ok: false, status: 403 })
  })

  it('refuses new member and invitation routes, even read ones for invitations', () => {
    for (const [method, route] of [
      ['PUT', '/api/v1/projects/:id/members/:userId/role'],
      ['GET', '/api/v1/projects/:id/invitations'],
      ['POST', '/api/v1/projects/:id/leave'],
    ] as const) {
      expect(tokenPolicy(write, method, route, P)).toMatchObject({ ok: false, status: 403 })
    }
  })

  it('lets importers create projects with unlimited write tokens only', () => {
    const route = '/api/v1/projects/import/trello'
    expect(tokenPolicy(write, 'POST', route, undefined)).toEqual({ ok: true })
    expect(tokenPolicy(read, 'POST', route, undefined)).toMatchObject({ ok: false, status: 403 })
    expect(tokenPolicy(limited, 'POST', route, undefined)).toMatchObject({ ok: false, status: 403 })
  })
})
