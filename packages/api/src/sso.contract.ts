import { defineRoute } from './registry.js'
import { AuthConfigSchema, SsoStartQuerySchema } from './sso.js'

const tag = 'Single sign-on'

/** `GET /auth/config` and the two browser legs of OpenID Connect sign-in. */
export const SSO_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/auth/config',
    tag,
    auth: 'none',
    summary: 'What the login page offers',
    responses: { 200: AuthConfigSchema },
  }),
  defineRoute({
    method: 'get',
    path: '/auth/oidc/start',
    tag,
    auth: 'none',
    summary: 'Start single sign-on (a browser navigation)',
    description:
      'Sets the HttpOnly `taskflow_oidc_state` cookie and redirects to the provider; `/login?ssoError=unavailable` when it cannot be reached.',
    query: SsoStartQuerySchema,
    responses: { 302: { description: 'To the provider, or back to the login page' } },
    errors: { 404: 'Single sign-on is not set up', 429: 'Too many starts from this IP' },
  }),
  defineRoute({
    method: 'get',
    path: '/auth/oidc/callback',
    tag,
    auth: 'none',
    summary: 'The redirect URI registered at the provider',
    description:
      'Redirects to `/auth/sso#token=…&next=…` when signed in, else to `/login?ssoError=<reason>`. Takes whatever query the provider sends.',
    query: false,
    responses: { 302: { description: 'To the app, signed in or with an error reason' } },
    errors: { 404: 'Single sign-on is not set up' },
  }),
]
