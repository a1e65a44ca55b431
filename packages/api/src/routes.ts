import { ACTIVITY_ROUTES } from './activity.contract.js'
import { ADMIN_ROUTES } from './admin.contract.js'
import { ATTACHMENT_ROUTES } from './attachments.contract.js'
import { AUTH_ROUTES } from './auth.contract.js'
import { AWAY_ROUTES } from './away.contract.js'
import { FIELD_ROUTES } from './fields.contract.js'
import { HISTORY_ROUTES } from './history.contract.js'
import { IMPORT_ROUTES } from './imports.contract.js'
import { META_ROUTES } from './meta.contract.js'
import { NOTIFICATION_ROUTES } from './notifications.contract.js'
import { PERSONAL_VIEW_ROUTES } from './personal-views.contract.js'
import { MEMBER_ROUTES, PROJECT_ROUTES } from './projects.contract.js'
import type { RouteContract } from './registry.js'
import { RELATION_ROUTES } from './relations.contract.js'
import { REPORT_ROUTES } from './reports.contract.js'
import { SEARCH_ROUTES } from './search.contract.js'
import { SSO_ROUTES } from './sso.contract.js'
import { TASK_ROUTES } from './tasks.contract.js'
import { TOKEN_ROUTES } from './tokens.contract.js'
import { WEBHOOK_ROUTES } from './webhooks.contract.js'

/**
 * Every `/api/v1` route, by area. A new area adds its list here (see registry.ts, "Adding a
 * route"); the server's contract test fails for a route missing from this list.
 */
export const API_ROUTES: readonly RouteContract[] = [
  ...AUTH_ROUTES,
  ...SSO_ROUTES,
  ...ADMIN_ROUTES,
  ...PROJECT_ROUTES,
  ...MEMBER_ROUTES,
  ...IMPORT_ROUTES,
  ...TASK_ROUTES,
  ...FIELD_ROUTES,
  ...RELATION_ROUTES,
  ...ATTACHMENT_ROUTES,
  ...SEARCH_ROUTES,
  ...REPORT_ROUTES,
  ...ACTIVITY_ROUTES,
  ...AWAY_ROUTES,
  ...HISTORY_ROUTES,
  ...NOTIFICATION_ROUTES,
  ...PERSONAL_VIEW_ROUTES,
  ...TOKEN_ROUTES,
  ...WEBHOOK_ROUTES,
  ...META_ROUTES,
]
