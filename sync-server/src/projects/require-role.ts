import { ERROR_CODES, type Role } from '@taskflow/api'
import { createMiddleware } from 'hono/factory'
import type { AuthEnv } from '../auth/auth.middleware.js'
import type { Db } from '../db/database.js'
import { AppError } from '../http/app-error.js'
import { requireProjectRole } from './project-access.js'
import type { ProjectRow } from './projects.repository.js'

/** The project of the path and the caller's role in it, as `requireRole` found them. */
export interface ProjectAccess {
  project: ProjectRow
  role: Role
}

/** Hono env of project routes: `AuthEnv` plus what `requireRole` found. */
export interface ProjectEnv {
  Variables: AuthEnv['Variables'] & { access: ProjectAccess }
}

export interface RequireRoleOptions {
  /** The route changes the project or its board: an archived project answers 409. */
  refuseArchived?: boolean
}

/** Middlewares made by `requireRole`: the authorization-matrix test checks every project route has one. */
const made = new WeakSet<object>()

/** Whether a handler is a `requireRole` middleware. */
export function isRequireRole(handler: unknown): boolean {
  return typeof handler === 'function' && made.has(handler)
}

/**
 * The one access check of every `/projects/:id…` route: after `requireAuth`, loads the
 * project of the path and lets the request on when the caller has at least `min`. Unknown
 * project → 404; not a member or too weak a role → 403 (project-access.ts). What it found
 * is `c.var.access` for the handler (services take it instead of looking it up again).
 *
 * The policy of API tokens (scope, project limit) runs before, in `requireAuth`.
 */
export function projectRoles(db: Db) {
  return function requireRole(min: Role, opts: RequireRoleOptions = {}) {
    const mw = createMiddleware<ProjectEnv>(async (c, next) => {
      const access = await requireProjectRole(db, c.req.param('id') ?? '', c.var.user.id, min)
      if (opts.refuseArchived && access.project.archived_at !== null) {
        throw new AppError(409, ERROR_CODES.conflict, 'The project is archived: restore it first')
      }
      c.set('access', access)
      await next()
    })
    made.add(mw)
    return mw
  }
}

export type RequireRole = ReturnType<typeof projectRoles>
