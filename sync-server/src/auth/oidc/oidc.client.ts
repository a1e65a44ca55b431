import * as client from 'openid-client'

/** What TaskFlow needs to know about the person the provider signed in. */
export interface OidcIdentity {
  issuer: string
  subject: string
  email: string | undefined
  /** Only `true` when the provider asserts `email_verified: true`. */
  emailVerified: boolean
  name: string | undefined
}

export interface OidcClientSettings {
  issuer: string
  clientId: string
  /** Unset: a public client (PKCE only). */
  clientSecret: string | undefined
  scopes: string
  redirectUri: string
  /** Permit an http:// issuer (config refuses it in production). */
  allowHttp: boolean
}

/** Per sign-in secrets: `state` and `nonce` bind the answer to this browser's request. */
export interface OidcChecks {
  state: string
  nonce: string
  codeVerifier: string
}

/**
 * Why the provider's answer was not accepted. `denied`: the provider said no (the person
 * cancelled, or is not allowed to use TaskFlow). `invalid`: it did not check out (a code
 * used twice, a token for another client, a bad signature...). `unavailable`: the provider
 * could not be reached.
 */
export class OidcFailure extends Error {
  constructor(
    readonly reason: 'denied' | 'invalid' | 'unavailable',
    readonly detail: string,
  ) {
    super(detail)
  }
}

export type OidcClient = ReturnType<typeof createOidcClient>

/**
 * The relying-party side of the authorization code flow with PKCE, via openid-client
 * (which checks the ID token's signature, issuer, audience, nonce and expiry). The
 * provider's metadata is discovered on first use, not at start-up, so a provider that is
 * down does not stop TaskFlow from starting; a failed discovery is retried next time.
 * The ID token's times are checked by openid-client against the wall clock, the clock the
 * provider stamped them with; TaskFlow's own times (sign-ins under way, sessions) follow
 * the server's injected clock as everywhere else.
 */
export function createOidcClient(settings: OidcClientSettings) {
  let discovered: Promise<client.Configuration> | undefined

  function configuration(): Promise<client.Configuration> {
    discovered ??= client
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        settings.clientSecret ? client.ClientSecretBasic(settings.clientSecret) : client.None(),
        { execute: settings.allowHttp ? [client.allowInsecureRequests] : [], timeout: 10 },
      )
      .catch((err: unknown) => {
        discovered = undefined
        throw new OidcFailure('unavailable', `discovery failed: ${String(err)}`)
      })
    return discovered
  }

  return {
    /** Random secrets for one sign-in. */
    newChecks(): OidcChecks {
      return {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
      }
    },

    /** Where to send the browser. Throws OidcFailure('unavailable'). */
    async authorizationUrl(checks: OidcChecks): Promise<URL> {
      const config = await configuration()
      return client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: settings.scopes,
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
      })
    },

    /**
     * Checks the provider's answer (`callbackUrl`: the redirect URI with the query the
     * browser brought back), redeems the code and returns who signed in. The e-mail comes
     * from the ID token, or from the userinfo endpoint when the provider keeps it there.
     * Throws OidcFailure.
     */
    async finish(callbackUrl: URL, checks: OidcChecks): Promise<OidcIdentity> {
      const config = await configuration()
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>
      try {
        tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        })
      } catch (err) {
        if (err instanceof client.AuthorizationResponseError) {
          throw new OidcFailure('denied', `${err.error}: ${err.error_description ?? ''}`)
        }
        throw new OidcFailure('invalid', explain(err))
      }
      const claims = tokens.claims()
      if (!claims) throw new OidcFailure('invalid', 'no ID token')
      let source: Record<string, unknown> = claims
      if (typeof claims.email !== 'string') {
        try {
          source = await client.fetchUserInfo(config, tokens.access_token, claims.sub)
        } catch (err) {
          throw new OidcFailure('invalid', `userinfo: ${explain(err)}`)
        }
      }
      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: typeof source.email === 'string' ? source.email : undefined,
        emailVerified: source.email_verified === true,
        name: typeof source.name === 'string' ? source.name : undefined,
      }
    },
  }
}

/** What went wrong, for the operator's log: openid-client keeps the specifics in `cause`. */
function explain(err: unknown): string {
  if (!(err instanceof Error)) return String(err)
  const e = err as Error & { error?: string; error_description?: string }
  const parts = [`${e.name}: ${e.message}`]
  if (e.error) parts.push(`${e.error}${e.error_description ? ` (${e.error_description})` : ''}`)
  if (e.cause instanceof Error) parts.push(e.cause.message)
  return parts.join(' — ')
}
