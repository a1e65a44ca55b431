import type { ApiTokenScope } from '@taskflow/api'

/**
 * What a personal API token may reach, decided in one place (`requireAuth` calls it for
 * every token-authenticated request) from the route as registered, not from each handler.
 *
 * Default deny: a route outside `/projects/:id…` that is not listed in `ACCOUNT_ROUTES`
 * answers 403 to a token, so a new account-management route (tokens, passwords, sessions,
 * e-mail, SSO, notification settings, admin…) is closed to tokens until someone decides
 * otherwise here. Routes under `/projects/:id` are open to tokens (their role checks still
 * apply) except membership management in `PROJECT_DENIED`; new project routes must name the
 * project parameter `:id` — under another name they fall to the default deny.
 */

/** A token as the policy needs it. `projectIds` null: every project of the owner. */
export interface TokenGrant {
  scope: ApiTokenScope
  projectIds: readonly string[] | null
}

export type PolicyVerdict = { ok: true } | { ok: false; status: 403 | 404; message: string }

const API = '/api/v1'

/** Safe methods: the only ones a `read` token may use. */
const READ_METHODS = new Set(['GET', 'HEAD'])

interface AccountRoute {
  /** The route spans every project of the owner (or creates one): refused to a project-limited token. */
  allProjects?: true
}

/**
 * Routes outside a project that tokens may use, keyed `METHOD path` as registered (without
 * `/api/v1`). `GET /projects` is filtered to a limited token's projects by its handler.
 */
const ACCOUNT_ROUTES: Record<string, AccountRoute> = {
  'GET /me': {},
  'GET /projects': {},
  'POST /projects': { allProjects: true },
  'GET /reports/me': { allProjects: true },
  // Filtered to a limited token's projects by its handler, like `GET /projects`.
  'GET /search': {},
}

/** Importers create projects: open to unlimited write tokens, like `POST /projects`. */
const IMPORT_PREFIX = '/projects/import/'

const PROJECT_ROUTE = /^\/projects\/:id(\/.*)?$/

/**
 * Project routes closed to tokens: changing who is in a project (members, invitations,
 * leaving) and deleting the whole project (irreversible; done in the app, signed in).
 * Reading the member list stays open.
 */
function projectDenied(method: string, rest: string): boolean {
  if (rest === '' && method === 'DELETE') return true
  if (rest === '/leave') return true
  if (rest.startsWith('/invitations')) return true
  return rest.startsWith('/members') && !READ_METHODS.has(method)
}

const denied = (message: string): PolicyVerdict => ({ ok: false, status: 403, message })
const NOT_FOR_TOKENS = 'API tokens cannot use this route; sign in to the app instead'

/**
 * The verdict for a token on a route. `routePath` is Hono's registered path (with
 * `/api/v1`), `projectId` the route's `:id` parameter when it has one.
 * Order: closed routes (403), then the project limit (404, as for an unknown project),
 * then the scope (403 for a read token on anything but GET/HEAD).
 */
export function tokenPolicy(
  grant: TokenGrant,
  method: string,
  routePath: string,
  projectId: string | undefined,
): PolicyVerdict {
  if (!routePath.startsWith(`${API}/`)) return denied(NOT_FOR_TOKENS)
  const path = routePath.slice(API.length)
  const project = PROJECT_ROUTE.exec(path)
  if (project) {
    if (projectDenied(method, project[1] ?? '')) {
      return denied('API tokens cannot manage members, invitations or delete projects')
    }
    if (!projectId) return denied(NOT_FOR_TOKENS)
    if (grant.projectIds && !grant.projectIds.includes(projectId)) {
      return { ok: false, status: 404, message: 'Project not found' }
    }
  } else {
    const account =
      ACCOUNT_ROUTES[`${method === 'HEAD' ? 'GET' : method} ${path}`] ??
      (method === 'POST' && path.startsWith(IMPORT_PREFIX) ? { allProjects: true } : undefined)
    if (!account) return denied(NOT_FOR_TOKENS)
    if (account.allProjects && grant.projectIds) {
      return denied('This token is limited to some projects; this route spans all of them')
    }
  }
  if (grant.scope === 'read' && !READ_METHODS.has(method)) {
    return denied('This token is read-only')
  }
  return { ok: true }
}
