import * as client from 'openid-client'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestProvider, TestBrowser, type TestProvider } from '../../test/oidc-provider.js'
import { createTestApi, lastMailTo, signUp, type TestApi } from '../../test/test-api.js'
import { SSO_STARTS_PER_IP } from './oidc.routes.js'

const APP = 'http://taskflow.test'
const CALLBACK = `${APP}/api/v1/auth/oidc/callback`
const OTHER_CALLBACK = 'http://other.test/cb'

const ACCOUNTS = [
  { sub: 'alice-1', email: 'alice@example.org', email_verified: true, name: 'Alice Liddell' },
  { sub: 'bob-1', email: 'bob@example.org', email_verified: false, name: 'Bob' },
  { sub: 'carol-1', email: 'carol@example.org', email_verified: true, name: 'Carol' },
]

interface Setup {
  /** TaskFlow's log lines. */
  logs: string[]
  api: TestApi
  idp: TestProvider
  browser: () => TestBrowser
}

/** A real provider, and TaskFlow configured to sign in through it. */
async function setup(env: Record<string, string> = {}): Promise<Setup> {
  const idp = await startTestProvider({
    clients: [
      { client_id: 'taskflow', client_secret: 'taskflow-secret', redirect_uris: [CALLBACK] },
      { client_id: 'other-app', client_secret: 'other-secret', redirect_uris: [OTHER_CALLBACK] },
    ],
    accounts: ACCOUNTS,
  })
  afterEach(() => idp.close())
  const logs: string[] = []
  const api = await createTestApi({
    logs,
    env: {
      TASKFLOW_PUBLIC_URL: APP,
      TASKFLOW_OIDC_ISSUER: idp.issuer,
      TASKFLOW_OIDC_CLIENT_ID: 'taskflow',
      TASKFLOW_OIDC_CLIENT_SECRET: 'taskflow-secret',
      TASKFLOW_OIDC_ALLOW_HTTP: '1',
      TASKFLOW_OIDC_BUTTON_LABEL: 'Acme ID',
      ...env,
    },
  })
  const browser = () =>
    new TestBrowser(APP, (path, init) => Promise.resolve(api.app.request(path, init)))
  return { logs, api, idp, browser }
}

/** Stops where the browser would open an app page (not the API). */
const atAppPage = (u: URL) => u.origin === APP && !u.pathname.startsWith('/api/')
const atCallback = (u: URL) => u.href.startsWith(`${CALLBACK}?`)

/** Walks "Sign in with…" through the provider as `sub`; returns the app page it lands on. */
async function signInThroughSso(s: Setup, sub: string, query = '', browser = s.browser()) {
  s.idp.signInAs(sub)
  return browser.follow(`${APP}/api/v1/auth/oidc/start${query}`, atAppPage)
}

/** The session token the landing page's fragment hands to the app. */
function handedToken(landing: URL): string {
  expect(landing.pathname).toBe('/auth/sso')
  expect(landing.search).toBe('')
  const token = new URLSearchParams(landing.hash.slice(1)).get('token')
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  return token!
}

const ssoError = (landing: URL) =>
  landing.pathname === '/login' ? landing.searchParams.get('ssoError') : `landed on ${landing.href}`

async function counts(api: TestApi) {
  const n = async (table: 'users' | 'sessions' | 'oidc_identities') =>
    Number(
      (
        await api.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst()
      )?.n,
    )
  return {
    users: await n('users'),
    sessions: await n('sessions'),
    links: await n('oidc_identities'),
  }
}

describe('single sign-on through an OpenID Provider', () => {
  it('creates the account on first sign-in, signs into the same one next time, and logout revokes the session', async () => {
    const s = await setup()
    const first = handedToken(await signInThroughSso(s, 'alice-1'))
    const me = await s.api.call('GET', '/api/v1/me', { token: first })
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({ email: 'alice@example.org', name: 'Alice Liddell' })
    // The first account of an instance administers it, however it signed up.
    expect(me.body.admin).toBe(true)

    const second = handedToken(await signInThroughSso(s, 'alice-1'))
    expect(second).not.toBe(first)
    expect((await s.api.call('GET', '/api/v1/me', { token: second })).body.id).toBe(me.body.id)
    expect(await counts(s.api)).toMatchObject({ users: 1, links: 1, sessions: 2 })

    expect((await s.api.call('POST', '/api/v1/auth/logout', { token: second })).status).toBe(204)
    expect((await s.api.call('GET', '/api/v1/me', { token: second })).status).toBe(401)
    expect((await s.api.call('GET', '/api/v1/me', { token: first })).status).toBe(200)
  })

  it('links an existing password account whose e-mail the provider verified', async () => {
    const s = await setup()
    const existing = await signUp(s.api, 'alice@example.org', 'Alice')
    const token = handedToken(await signInThroughSso(s, 'alice-1'))
    const me = await s.api.call('GET', '/api/v1/me', { token })
    expect(me.body.id).toBe(existing.id)
    expect(me.body.name).toBe('Alice')
    expect(await counts(s.api)).toMatchObject({ users: 1, links: 1 })
    // The password still works alongside.
    const login = await s.api.call('POST', '/api/v1/auth/login', {
      body: { email: 'alice@example.org', password: 'correct horse battery' },
    })
    expect(login.status).toBe(200)
  })

  it('counts an account it creates as verified: it joins the invitations pending for its address', async () => {
    const s = await setup({ TASKFLOW_EMAIL_VERIFICATION: 'required' })
    const owner = await signUp(s.api, 'owner@example.org', 'Owner')
    const project = await s.api.call('POST', '/api/v1/projects', {
      token: owner.token,
      body: { name: 'Launch' },
    })
    const members = `/api/v1/projects/${project.body.id}/members`
    const invited = await s.api.call('POST', members, {
      token: owner.token,
      body: { email: 'carol@example.org', role: 'member' },
    })
    expect(invited.body.status).toBe('invited')
    // No invitation link: the provider's word on the address is the proof.
    const landing = await signInThroughSso(s, 'carol-1')
    const token = handedToken(landing)
    expect(new URLSearchParams(landing.hash.slice(1)).get('next')).toBe(
      `/projects/${project.body.id}`,
    )
    const projects = await s.api.call('GET', '/api/v1/projects', { token })
    expect(projects.body.projects.map((p: { id: string }) => p.id)).toEqual([project.body.id])
    const carol = await s.api.db
      .selectFrom('users')
      .select('email_verified_at')
      .where('email', '=', 'carol@example.org')
      .executeTakeFirstOrThrow()
    expect(carol.email_verified_at).toBe(s.api.now())
  })

  it('takes over an unverified password account of the address: the password that claimed it stops working', async () => {
    const s = await setup({ TASKFLOW_EMAIL_VERIFICATION: 'required' })
    await signUp(s.api, 'owner@example.org', 'Owner')
    // Someone typed Alice's address first (the verification link went to her mailbox).
    const squat = await s.api.call('POST', '/api/v1/auth/register', {
      body: { email: 'alice@example.org', password: 'a stranger typed this', name: 'Mallory' },
    })
    expect(squat.status).toBe(202)
    const token = handedToken(await signInThroughSso(s, 'alice-1'))
    expect((await s.api.call('GET', '/api/v1/me', { token })).body.email).toBe('alice@example.org')
    expect(await counts(s.api)).toMatchObject({ users: 2, links: 1 })
    const stranger = await s.api.call('POST', '/api/v1/auth/login', {
      body: { email: 'alice@example.org', password: 'a stranger typed this' },
    })
    expect(stranger.status).toBe(401)
    // Nor does the link mailed at that sign-up sign anyone in now.
    const link = /\/verify-email\/([A-Za-z0-9_-]{43})/.exec(
      (await lastMailTo(s.api.db, 'alice@example.org')).text,
    )![1]!
    const late = await s.api.call('POST', '/api/v1/auth/verify-email', { body: { token: link } })
    expect(late.status).toBe(410)
  })

  it('takes the person back to the page they started from', async () => {
    const s = await setup()
    const landing = await signInThroughSso(
      s,
      'alice-1',
      '?redirect=%2Fprojects%2Fabc%3Fview%3Dlist',
    )
    handedToken(landing)
    expect(new URLSearchParams(landing.hash.slice(1)).get('next')).toBe('/projects/abc?view=list')
    const offSite = await s.api.call('GET', '/api/v1/auth/oidc/start?redirect=//evil.example/x')
    expect(offSite.status).toBe(400)
    expect(offSite.body.error.code).toBe('validation_failed')
  })

  it('refuses an answer whose state does not match the one this browser started with', async () => {
    const s = await setup()
    const browser = s.browser()
    s.idp.signInAs('alice-1')
    const callback = await browser.follow(`${APP}/api/v1/auth/oidc/start`, atCallback)
    const cookie = browser.cookie(APP, 'taskflow_oidc_state')!
    expect(cookie).toBeTruthy()

    // The provider's answer with a state of someone else's sign-in.
    const forged = new URL(callback)
    forged.searchParams.set('state', `${cookie.slice(0, -2)}xx`)
    expect(ssoError(await browser.follow(forged.href, atAppPage))).toBe('state')

    // The genuine answer, carried into another browser (login CSRF): no cookie, no sign-in.
    expect(ssoError(await s.browser().follow(callback.href, atAppPage))).toBe('state')
    expect(await counts(s.api)).toMatchObject({ users: 0, sessions: 0, links: 0 })
  })

  it('refuses a replayed callback and a code redeemed twice', async () => {
    const s = await setup()
    const browser = s.browser()
    s.idp.signInAs('alice-1')
    const callback = await browser.follow(`${APP}/api/v1/auth/oidc/start`, atCallback)
    const state = browser.cookie(APP, 'taskflow_oidc_state')!
    handedToken(await browser.follow(callback.href, atAppPage))
    const after = await counts(s.api)

    // The same answer again, cookie and all: the sign-in it belonged to is used up.
    browser.setCookie(APP, 'taskflow_oidc_state', state)
    expect(ssoError(await browser.follow(callback.href, atAppPage))).toBe('state')

    // The used code inside a fresh sign-in of the same browser: the provider refuses it.
    const fresh = await browser.follow(
      `${APP}/api/v1/auth/oidc/start`,
      (u) => u.origin === s.idp.issuer,
    )
    const freshState = fresh.searchParams.get('state')!
    const replay = new URL(callback)
    replay.searchParams.set('state', freshState)
    expect(ssoError(await browser.follow(replay.href, atAppPage))).toBe('invalid')
    expect(s.logs.join('\n')).toContain('invalid_grant')
    expect(await counts(s.api)).toEqual(after)
  })

  it('refuses an identity whose e-mail the provider does not vouch for, creating and linking nothing', async () => {
    const s = await setup()
    expect(ssoError(await signInThroughSso(s, 'bob-1'))).toBe('email_unverified')
    expect(await counts(s.api)).toMatchObject({ users: 0, sessions: 0, links: 0 })

    // Nor is an existing account with that address handed over.
    await signUp(s.api, 'bob@example.org', 'Bob')
    expect(ssoError(await signInThroughSso(s, 'bob-1'))).toBe('email_unverified')
    expect(await counts(s.api)).toMatchObject({ users: 1, sessions: 1, links: 0 })
  })

  it('refuses an ID token issued to another client, even one signed by the provider', async () => {
    const s = await setup()
    const browser = s.browser()
    s.idp.signInAs('alice-1')
    const authorize = await browser.follow(
      `${APP}/api/v1/auth/oidc/start`,
      (u) => u.origin === s.idp.issuer,
    )
    const nonce = authorize.searchParams.get('nonce')!

    // A genuine ID token for alice with TaskFlow's nonce, but for the client `other-app`.
    const other = await client.discovery(
      new URL(s.idp.issuer),
      'other-app',
      undefined,
      client.ClientSecretBasic('other-secret'),
      { execute: [client.allowInsecureRequests] },
    )
    const verifier = client.randomPKCECodeVerifier()
    const otherUrl = client.buildAuthorizationUrl(other, {
      redirect_uri: OTHER_CALLBACK,
      scope: 'openid email',
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    })
    const otherCallback = await s
      .browser()
      .follow(otherUrl.href, (u) => u.origin === 'http://other.test')
    const otherTokens = await client.authorizationCodeGrant(other, otherCallback, {
      pkceCodeVerifier: verifier,
      expectedNonce: nonce,
    })
    expect(otherTokens.claims()?.aud).toBe('other-app')

    // The provider's token response to TaskFlow carries that token instead of its own.
    s.idp.substituteNextIdToken(otherTokens.id_token!)
    expect(ssoError(await browser.follow(authorize.href, atAppPage))).toBe('invalid')
    expect(await counts(s.api)).toMatchObject({ users: 0, sessions: 0, links: 0 })
    // The operator's log names the check that refused it.
    expect(s.logs.join('\n')).toContain('unexpected JWT \\"aud\\" (audience) claim value')
  })

  it('accepts a project invitation through single sign-on, also when sign-up is invite-only', async () => {
    const s = await setup()
    const owner = await signUp(s.api, 'owner@example.org', 'Owner')
    const project = await s.api.call('POST', '/api/v1/projects', {
      token: owner.token,
      body: { name: 'Launch' },
    })
    await s.api.call('POST', `/api/v1/projects/${project.body.id}/members`, {
      token: owner.token,
      body: { email: 'carol@example.org', role: 'member' },
    })
    const invitation = /\/invitations\/([A-Za-z0-9_-]{43})/.exec(
      (await lastMailTo(s.api.db, 'carol@example.org')).text,
    )![1]!
    const mode = await s.api.call('PUT', '/api/v1/admin/settings', {
      token: owner.token,
      body: { signup: 'invite_only' },
    })
    expect(mode.status).toBe(200)

    // Without the invitation there is no way in for a new account.
    expect(ssoError(await signInThroughSso(s, 'carol-1'))).toBe('invite_only')
    expect(await counts(s.api)).toMatchObject({ users: 1, links: 0 })

    const landing = await signInThroughSso(s, 'carol-1', `?invitation=${invitation}`)
    const token = handedToken(landing)
    expect(new URLSearchParams(landing.hash.slice(1)).get('next')).toBe(
      `/projects/${project.body.id}`,
    )
    const projects = await s.api.call('GET', '/api/v1/projects', { token })
    expect(projects.body.projects.map((p: { id: string }) => p.id)).toEqual([project.body.id])
    // Used up: it cannot let anyone else in.
    const again = await s.api.call('POST', '/api/v1/invitations/lookup', {
      body: { token: invitation },
    })
    expect(again.status).toBe(410)
  })

  it('refuses a disabled account', async () => {
    const s = await setup()
    const admin = await signUp(s.api, 'owner@example.org', 'Owner')
    const alice = await signUp(s.api, 'alice@example.org', 'Alice')
    await s.api.call('POST', `/api/v1/admin/accounts/${alice.id}/disable`, { token: admin.token })
    expect(ssoError(await signInThroughSso(s, 'alice-1'))).toBe('disabled')
    expect(await counts(s.api)).toMatchObject({ sessions: 1, links: 0 })
  })

  it('with TASKFLOW_OIDC_ONLY=1, hides and refuses password sign-in and sign-up', async () => {
    const s = await setup({ TASKFLOW_OIDC_ONLY: '1' })
    const config = await s.api.call('GET', '/api/v1/auth/config')
    expect(config.body).toEqual({ passwordLogin: false, sso: { label: 'Acme ID' } })
    const register = await s.api.call('POST', '/api/v1/auth/register', {
      body: { email: 'alice@example.org', password: 'correct horse battery', name: 'A' },
    })
    expect(register.status).toBe(403)
    expect(register.body.error.message).toMatch(/Sign in with Acme ID/)
    handedToken(await signInThroughSso(s, 'alice-1'))
    const login = await s.api.call('POST', '/api/v1/auth/login', {
      body: { email: 'alice@example.org', password: 'correct horse battery' },
    })
    expect(login.status).toBe(403)
    expect(await counts(s.api)).toMatchObject({ users: 1, sessions: 1 })
  })
})

describe('starting single sign-on', () => {
  it('one address may start 30 sign-ins in 10 minutes; more answer 429 until the window moves on', async () => {
    // A provider nobody answers at: each start ends on the login page saying so.
    const api = await createTestApi({
      env: {
        TASKFLOW_OIDC_ISSUER: 'http://127.0.0.1:1',
        TASKFLOW_OIDC_CLIENT_ID: 'taskflow',
        TASKFLOW_OIDC_ALLOW_HTTP: '1',
      },
    })
    for (let i = 0; i < SSO_STARTS_PER_IP.limit; i++) {
      const res = await api.call('GET', '/api/v1/auth/oidc/start')
      expect(res.headers.get('location')).toBe('/login?ssoError=unavailable')
    }
    const refused = await api.call('GET', '/api/v1/auth/oidc/start')
    expect(refused.status).toBe(429)
    expect(refused.body.error.code).toBe('rate_limited')
    api.advance(SSO_STARTS_PER_IP.windowMs)
    expect((await api.call('GET', '/api/v1/auth/oidc/start')).status).toBe(302)
  })
})

describe('without single sign-on configured', () => {
  it('the login page offers passwords only and the SSO routes answer 404', async () => {
    const api = await createTestApi()
    expect((await api.call('GET', '/api/v1/auth/config')).body).toEqual({
      passwordLogin: true,
      sso: null,
    })
    const start = await api.call('GET', '/api/v1/auth/oidc/start')
    expect(start.status).toBe(404)
    expect(start.body.error.code).toBe('not_found')
  })
})
