import { Hono } from 'hono'
import { activityRoutes } from '../activity/activity.routes.js'
import { createActivityService } from '../activity/activity.service.js'
import { adminRoutes } from '../admin/admin.routes.js'
import { createAdminService } from '../admin/admin.service.js'
import { apiTokensRoutes } from '../api-tokens/api-tokens.routes.js'
import { createApiTokensService } from '../api-tokens/api-tokens.service.js'
import { attachmentsRoutes } from '../attachments/attachments.routes.js'
import { createAttachmentsService } from '../attachments/attachments.service.js'
import type { BlobStore } from '../attachments/blob-store.js'
import { awayRoutes } from '../away/away.routes.js'
import { createAwayService } from '../away/away.service.js'
import type { Clock } from '../clock.js'
import type { Config } from '../config.js'
import type { Db } from '../db/database.js'
import { fieldsRoutes } from '../fields/fields.routes.js'
import { createFieldsService } from '../fields/fields.service.js'
import { historyRoutes } from '../history/history.routes.js'
import { createHistoryService } from '../history/history.service.js'
import type { HistoryDeriver } from '../history/history-deriver.js'
import type { AfterResponse } from '../http/after-response.js'
import { createExportService } from '../imports/export.service.js'
import { importsRoutes } from '../imports/imports.routes.js'
import { createImportsService } from '../imports/imports.service.js'
import type { Logger } from '../logger.js'
import type { Mailer } from '../mail/mailer.js'
import { notificationsRoutes } from '../notifications/notifications.routes.js'
import type { NotificationsRuntime } from '../notifications/notifications.runtime.js'
import { createNotificationsService } from '../notifications/notifications.service.js'
import { personalViewsRoutes } from '../personal-views/personal-views.routes.js'
import { createPersonalViewsService } from '../personal-views/personal-views.service.js'
import { authorsRoutes } from '../projects/authors.routes.js'
import { createAuthorsService } from '../projects/authors.service.js'
import { createInvitationsService } from '../projects/invitations.service.js'
import { createMembersService } from '../projects/members.service.js'
import { projectsRoutes } from '../projects/projects.routes.js'
import { createProjectsService } from '../projects/projects.service.js'
import { reportsRoutes } from '../reports/reports.routes.js'
import { createReportsService } from '../reports/reports.service.js'
import { searchRoutes } from '../search/search.routes.js'
import { createSearchService } from '../search/search.service.js'
import type { SyncControl } from '../sync/access.js'
import { relationsRoutes } from '../tasks/relations.routes.js'
import { createRelationsService } from '../tasks/relations.service.js'
import { tasksRoutes } from '../tasks/tasks.routes.js'
import { createTasksService } from '../tasks/tasks.service.js'
import type { Lookup } from '../webhooks/ssrf.js'
import { webhooksRoutes } from '../webhooks/webhooks.routes.js'
import { createWebhooksService } from '../webhooks/webhooks.service.js'
import type { AccountsDeps } from './accounts-deps.js'
import { authRoutes } from './auth.routes.js'
import { createAuthService } from './auth.service.js'
import { oidcRoutes } from './oidc/oidc.routes.js'
import { createOidcService } from './oidc/oidc.service.js'
import { closePasswordRoutes } from './oidc/password-gate.js'
import { createSyncHooks } from './sync-hooks.js'

export interface AccountsApiDeps {
  config: Config
  db: Db
  logger: Logger
  /** SMTP or the outbox table, per config (composition.ts). */
  mailer: Mailer
  /** The live sync hub, read lazily (the cluster wraps it once the node joined). */
  getSync: () => SyncControl | undefined
  now: Clock
  notifications: NotificationsRuntime
  /** Work started by a request and finished after its answer. */
  afterResponse: AfterResponse
  /** Tells the webhook delivery worker (server.ts) that a delivery became due. */
  wakeWebhooks?: () => void
  webhookLookup?: Lookup
  /** Attachment files, shared with the collector (composition.ts). */
  blobStore: BlobStore
  /** Keeps task-history indexes current in the background (composition.ts); absent: on read only. */
  historyDeriver?: HistoryDeriver
}

/**
 * Accounts, projects, members, invitations and reports: the sub-app mounted at `/api/v1`.
 * Its shared parts (mail, notifications, files, the hub) come from composition.ts.
 */
export function createAccountsApi(deps: AccountsApiDeps): Hono {
  const runtime = deps.notifications
  const full: AccountsDeps = {
    config: deps.config,
    db: deps.db,
    logger: deps.logger,
    mailer: deps.mailer,
    // Notification streams end with their session, like sync sockets.
    sync: createSyncHooks(deps.getSync, deps.logger, runtime.hub),
    now: deps.now,
    afterResponse: deps.afterResponse,
  }
  const notifications = createNotificationsService({ ...runtime, db: deps.db, now: full.now })
  full.onMemberAdded = notifications.memberAdded
  const auth = createAuthService(full)
  const app = new Hono()
  closePasswordRoutes(app, deps.config)
  app.route('/', oidcRoutes(deps.config, createOidcService(full), full.now))
  app.route('/', authRoutes(auth, { trustProxy: deps.config.TASKFLOW_TRUST_PROXY === '1' }))
  app.route('/', apiTokensRoutes(auth, createApiTokensService(full)))
  const projects = createProjectsService(full)
  app.route(
    '/',
    projectsRoutes(
      auth,
      projects,
      createMembersService(full),
      createInvitationsService(full),
      deps.db,
    ),
  )
  app.route(
    '/',
    importsRoutes(
      auth,
      createImportsService(full, projects),
      createExportService(deps.db, full.now),
      deps.db,
    ),
  )
  app.route('/', authorsRoutes(auth, createAuthorsService(deps.db), deps.db))
  // Reports share the session check and project roles, so they mount here too.
  app.route('/', reportsRoutes(auth, deps.db, createReportsService(deps.db, full.now), full.now))
  app.route('/', activityRoutes(auth, createActivityService(deps.db), deps.db))
  app.route('/', awayRoutes(auth, createAwayService(deps.db, full.now), deps.db))
  app.route(
    '/',
    webhooksRoutes(
      auth,
      createWebhooksService({
        db: deps.db,
        now: full.now,
        allowPrivate: deps.config.TASKFLOW_WEBHOOK_ALLOW_PRIVATE === '1',
        wake: deps.wakeWebhooks,
        lookup: deps.webhookLookup,
      }),
      deps.db,
    ),
  )
  const history = createHistoryService({
    db: deps.db,
    now: full.now,
    days: deps.config.TASKFLOW_HISTORY_DAYS,
    getSync: deps.getSync,
    ...(deps.historyDeriver ? { deriver: deps.historyDeriver } : {}),
  })
  app.route(
    '/',
    tasksRoutes(
      auth,
      createTasksService({
        db: deps.db,
        now: full.now,
        getSync: deps.getSync,
        history,
      }),
      deps.db,
      full.now,
    ),
  )
  app.route(
    '/',
    fieldsRoutes(
      auth,
      createFieldsService({
        db: deps.db,
        now: full.now,
        getSync: deps.getSync,
      }),
      deps.db,
    ),
  )
  app.route(
    '/',
    relationsRoutes(
      auth,
      createRelationsService({
        db: deps.db,
        now: full.now,
        getSync: deps.getSync,
      }),
      deps.db,
      full.now,
    ),
  )
  app.route('/', historyRoutes(auth, history, deps.db, full.now))
  app.route('/', searchRoutes(auth, createSearchService(deps.db)))
  app.route(
    '/',
    attachmentsRoutes(
      auth,
      createAttachmentsService({
        db: deps.db,
        store: deps.blobStore,
        now: full.now,
        maxUploadBytes: Math.round(deps.config.TASKFLOW_MAX_UPLOAD_MB * 1024 * 1024),
        projectQuotaBytes: Math.round(deps.config.TASKFLOW_PROJECT_QUOTA_MB * 1024 * 1024),
        logger: deps.logger,
      }),
      deps.db,
    ),
  )
  app.route('/', personalViewsRoutes(auth, createPersonalViewsService(deps.db, full.now)))
  app.route('/', notificationsRoutes(auth, notifications, full.now, deps.db))
  app.route(
    '/',
    adminRoutes(
      auth,
      createAdminService({ ...full, roomsLoaded: () => deps.getSync()?.roomCount ?? 0 }),
    ),
  )
  return app
}
