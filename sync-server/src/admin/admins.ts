import type { UserRow } from '../auth/users.repository.js'
import type { Config } from '../config.js'

/** The lower-cased addresses of `TASKFLOW_ADMIN_EMAILS` (comma-separated, blanks ignored). */
export function adminEmails(config: Pick<Config, 'TASKFLOW_ADMIN_EMAILS'>): ReadonlySet<string> {
  return new Set(
    config.TASKFLOW_ADMIN_EMAILS.split(',')
      .map((e) => e.trim().toLowerCase())
      .filter(Boolean),
  )
}

/**
 * An instance admin: flagged in SQL (the first account registered), or listed in
 * `TASKFLOW_ADMIN_EMAILS` — read at each check, so editing the variable and restarting
 * promotes or demotes without touching the database.
 */
export function isInstanceAdmin(
  user: Pick<UserRow, 'is_admin' | 'email'>,
  emails: ReadonlySet<string>,
): boolean {
  return user.is_admin === 1 || emails.has(user.email.toLowerCase())
}
