import { generateKeyPairSync } from 'node:crypto'
import { once } from 'node:events'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider, { type Adapter, type AdapterPayload } from 'oidc-provider'

/**
 * The provider's storage, one per provider started (its own quick-start adapter is shared
 * by the whole process and warns on every start). `consume` marks a code used, which is
 * how the provider refuses a code redeemed twice.
 */
function mapAdapter(): new (name: string) => Adapter {
  const rows = new Map<string, AdapterPayload>()
  return class implements Adapter {
    constructor(private readonly name: string) {}
    private key(id: string) {
      return `${this.name}:${id}`
    }
    async upsert(id: string, payload: AdapterPayload) {
      rows.set(this.key(id), payload)
    }
    async find(id: string) {
      return rows.get(this.key(id))
    }
    async findByUid(uid: string) {
      return [...rows.entries()].find(
        ([k, p]) => k.startsWith(`${this.name}:`) && p.uid === uid,
      )?.[1]
    }
    async findByUserCode(userCode: string) {
      return [...rows.values()].find((p) => p.userCode === userCode)
    }
    async consume(id: string) {
      const row = rows.get(this.key(id))
      if (row) row.consumed = Math.floor(Date.now() / 1000)
    }
    async destroy(id: string) {
      rows.delete(this.key(id))
    }
    async revokeByGrantId(grantId: string) {
      for (const [k, p] of rows) if (p.grantId === grantId) rows.delete(k)
    }
  }
}

// One signing key for every provider the tests start (RSA generation takes a while).
const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  format: 'jwk',
})

/** A person known to the test provider. */
export interface ProviderAccount {
  sub: string
  email: string
  email_verified: boolean
  name: string
}

export interface ProviderClient {
  client_id: string
  client_secret: string
  redirect_uris: string[]
}

export interface TestProvider {
  issuer: string
  provider: Provider
  /** The account the next login interaction signs in (the person typing at the provider). */
  signInAs(sub: string): void
  /** Replaces the `id_token` of the next token response (a substituted token). */
  substituteNextIdToken(idToken: string): void
  close(): Promise<void>
}

/**
 * A real OpenID Provider (panva's oidc-provider) on 127.0.0.1, port 0, with an in-memory
 * adapter. Only the login page is a stand-in: it signs in
 * the account chosen by `signInAs` at once, and consent is granted for every client (the
 * provider still runs its whole authorization, code, PKCE and token logic). Test-runner
 * neutral (the app's Playwright specs use it too): the caller closes it.
 */
export async function startTestProvider(opts: {
  clients: ProviderClient[]
  accounts: ProviderAccount[]
}): Promise<TestProvider> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const accounts = new Map(opts.accounts.map((a) => [a.sub, a]))
  let next: string | undefined
  let substitute: string | undefined

  const provider = new Provider(issuer, {
    adapter: mapAdapter(),
    jwks: { keys: [{ ...signingKey, kid: 'test-key', use: 'sig', alg: 'RS256' }] },
    ttl: {
      AuthorizationCode: 60,
      Grant: 600,
      IdToken: 600,
      AccessToken: 600,
      Interaction: 600,
      Session: 600,
    },
    clients: opts.clients.map((c) => ({
      ...c,
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['test-provider-cookie-key'] },
    features: { devInteractions: { enabled: false } },
    // PKCE for confidential clients too, as TaskFlow always sends it.
    pkce: { required: () => true },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub)
      if (!account) return undefined
      return { accountId: sub, claims: async () => ({ ...account }) }
    },
    // Consent is not what these tests are about: every client gets what it asks.
    async loadExistingGrant(ctx) {
      const { client, session } = ctx.oidc
      if (!client || !session?.accountId) return undefined
      const grant = new ctx.oidc.provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId,
      })
      grant.addOIDCScope('openid email profile')
      await grant.save()
      return grant
    },
  })
  provider.use(async (ctx, nextMw) => {
    await nextMw()
    if (ctx.path === '/token' && substitute && ctx.status === 200) {
      ctx.body = { ...(ctx.body as object), id_token: substitute }
      substitute = undefined
    }
  })
  const handle = provider.callback()
  server.on('request', (req, res) => {
    if (!req.url?.startsWith('/interaction/')) {
      handle(req, res)
      return
    }
    void (async () => {
      await provider.interactionDetails(req, res)
      if (!next) throw new Error('test provider: call signInAs() first')
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: next } },
        { mergeWithLastSubmission: false },
      )
    })().catch((err) => {
      res.statusCode = 500
      res.end(String(err))
    })
  })
  return {
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
    issuer,
    provider,
    signInAs: (sub) => {
      next = sub
    },
    substituteNextIdToken: (idToken) => {
      substitute = idToken
    },
  }
}

/**
 * A browser's view of redirects and cookies, enough to walk a sign-in: requests to
 * `appOrigin` go to `appFetch` (the app in-process), any other URL over the network.
 * Cookies are kept per origin (host and port), which is stricter than a real browser.
 */
export class TestBrowser {
  private readonly jar = new Map<string, Map<string, string>>()

  constructor(
    private readonly appOrigin: string,
    private readonly appFetch: (path: string, init: RequestInit) => Promise<Response>,
  ) {}

  cookie(origin: string, name: string): string | undefined {
    return this.jar.get(origin)?.get(name)
  }

  setCookie(origin: string, name: string, value: string): void {
    const cookies = this.jar.get(origin) ?? new Map<string, string>()
    cookies.set(name, value)
    this.jar.set(origin, cookies)
  }

  /** One GET with this browser's cookies; stores what the answer sets. */
  async get(url: string): Promise<Response> {
    const u = new URL(url)
    const cookies = this.jar.get(u.origin) ?? new Map<string, string>()
    const headers: Record<string, string> = {}
    if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    const init: RequestInit = { headers, redirect: 'manual' }
    const res =
      u.origin === this.appOrigin
        ? await this.appFetch(u.pathname + u.search, init)
        : await fetch(u, init)
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === ''
      if (expired) cookies.delete(name)
      else cookies.set(name, value)
    }
    this.jar.set(u.origin, cookies)
    return res
  }

  /**
   * Follows redirects from `url` until an answer is not a redirect, or the next URL
   * satisfies `stopAt` (then that URL is returned without being requested).
   */
  async follow(url: string, stopAt: (u: URL) => boolean = () => false): Promise<URL> {
    let current = new URL(url)
    for (let hops = 0; hops < 20; hops++) {
      if (stopAt(current)) return current
      const res = await this.get(current.href)
      await res.arrayBuffer()
      const location = res.headers.get('location')
      if (res.status < 300 || res.status >= 400 || !location) {
        if (res.status >= 400) throw new Error(`${current.href}: ${res.status}`)
        return current
      }
      current = new URL(location, current)
    }
    throw new Error('too many redirects')
  }
}
