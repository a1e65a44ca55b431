import type { Config } from '../config.js'
import type { Db } from '../db/database.js'
import type { AfterResponse } from '../http/after-response.js'
import type { Logger } from '../logger.js'
import type { Mailer } from '../mail/mailer.js'
import type { SyncHooks } from './sync-hooks.js'

/**
 * What the accounts services (auth, projects, members, invitations, OIDC, tokens) are built
 * from. Its own module so services that need it do not import one another: the auth
 * service uses invitations, and invitations must not import the auth service back.
 */
export interface AccountsDeps {
  config: Config
  db: Db
  logger: Logger
  mailer: Mailer
  sync: SyncHooks
  now: () => number
  /** Mail (and its token rows) that must not show in response times (no existence oracle). */
  afterResponse: AfterResponse
  /** Someone added an existing account to a project (notifications). Must not throw. */
  onMemberAdded?: (e: {
    projectId: string
    projectName: string
    userId: string
    actor: { id: string; name: string }
    at: number
  }) => Promise<void>
}
