import type { Config } from '../config.js'
import type { Db } from '../db/database.js'
import type { Logger } from '../logger.js'
import type { Mailer } from '../mail/mailer.js'
import { NotificationHub } from './notification-hub.js'
import { Notifier } from './notifier.js'
import { UnsubscribeTokens } from './unsubscribe-tokens.js'

/** What the sync side (sink, scheduler) and the HTTP side (routes, streams) share. */
export interface NotificationsRuntime {
  hub: NotificationHub
  notifier: Notifier
  tokens: UnsubscribeTokens
}

export function createNotificationsRuntime(deps: {
  config: Config
  db: Db
  logger: Logger
  mailer: Mailer
}): NotificationsRuntime {
  const hub = new NotificationHub()
  const tokens = new UnsubscribeTokens(deps.db)
  const notifier = new Notifier({
    db: deps.db,
    hub,
    mailer: deps.mailer,
    tokens,
    logger: deps.logger,
    publicUrl: deps.config.TASKFLOW_PUBLIC_URL,
    digestHourUtc: deps.config.TASKFLOW_DIGEST_HOUR_UTC,
  })
  return { hub, notifier, tokens }
}
