import { readFileSync } from 'node:fs'
import {
  ACCOUNTS_CURSOR,
  type AdminAccount,
  type AdminAccountsPage,
  ERROR_CODES,
  type InstanceHealth,
  type InstanceSettings,
} from '@taskflow/api'
import { deleteUserSessions } from '../auth/sessions.repository.js'
import type { SyncHooks } from '../auth/sync-hooks.js'
import { findUserById, type UserRow, updateUser } from '../auth/users.repository.js'
import type { Clock } from '../clock.js'
import type { Config } from '../config.js'
import type { Db } from '../db/database.js'
import { databaseBytes } from '../db/database-size.js'
import { AppError } from '../http/app-error.js'
import type { Logger } from '../logger.js'
import type { Mailer } from '../mail/mailer.js'
import { readDerivationLag } from '../metrics/metrics.js'
import { adminEmails, isInstanceAdmin } from './admins.js'
import { readInstanceSettings, writeInstanceSettings } from './instance-settings.js'

export interface AdminDeps {
  config: Config
  db: Db
  logger: Logger
  mailer: Mailer
  sync: SyncHooks
  now: Clock
  /** Documents the sync hub holds in memory (0 before it starts). */
  roomsLoaded: () => number
}

// sync-server/package.json, the same from src/admin (tsx) and dist/admin (built).
const PACKAGE_JSON = new URL('../../package.json', import.meta.url)

export type AdminService = ReturnType<typeof createAdminService>

export function createAdminService(deps: AdminDeps) {
  const { db, config, logger, mailer, sync, now } = deps
  const admins = adminEmails(config)
  let version: string | undefined

  const toAccount = (u: UserRow): AdminAccount => ({
    id: u.id,
    email: u.email,
    name: u.name,
    createdAt: new Date(u.created_at).toISOString(),
    disabled: u.disabled_at !== null,
    admin: isInstanceAdmin(u, admins),
  })

  async function target(id: string): Promise<UserRow> {
    const user = await findUserById(db, id)
    if (!user) throw new AppError(404, ERROR_CODES.notFound, 'No such account')
    return user
  }

  /** Enabled admins other than `exceptId`, flagged in SQL or listed in the variable. */
  async function otherEnabledAdmins(exceptId: string): Promise<number> {
    const rows = await db
      .selectFrom('users')
      .select(['id', 'email', 'is_admin'])
      .where('disabled_at', 'is', null)
      .where('id', '!=', exceptId)
      .where((eb) =>
        admins.size > 0
          ? eb.or([eb('is_admin', '=', 1), eb('email', 'in', [...admins])])
          : eb('is_admin', '=', 1),
      )
      .execute()
    return rows.length
  }

  return {
    async listAccounts(opts: { after?: string; limit: number }): Promise<AdminAccountsPage> {
      let q = db
        .selectFrom('users')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .limit(opts.limit + 1)
      const cursor = opts.after ? ACCOUNTS_CURSOR.exec(opts.after) : null
      if (cursor) {
        const [, at, id] = cursor
        q = q.where((eb) =>
          eb.or([
            eb('created_at', '>', Number(at)),
            eb.and([eb('created_at', '=', Number(at)), eb('id', '>', id!)]),
          ]),
        )
      }
      const rows = await q.execute()
      const page = rows.slice(0, opts.limit)
      const last = page.at(-1)
      return {
        accounts: page.map(toAccount),
        nextAfter: rows.length > opts.limit && last ? `${last.created_at}_${last.id}` : null,
      }
    },

    /**
     * Signs the account out everywhere at once: sessions deleted, then its sync sockets
     * closed with 4401 and its notification streams ended (the same hooks as a password reset).
     */
    async disable(actor: UserRow, id: string): Promise<AdminAccount> {
      if (id === actor.id) {
        throw new AppError(409, ERROR_CODES.conflict, 'You cannot disable your own account')
      }
      const user = await target(id)
      if (isInstanceAdmin(user, admins) && (await otherEnabledAdmins(id)) === 0) {
        throw new AppError(409, ERROR_CODES.conflict, 'You cannot disable the last admin')
      }
      const disabledAt = user.disabled_at ?? now()
      await db.transaction().execute(async (trx) => {
        await updateUser(trx, id, { disabled_at: disabledAt, updated_at: now() })
        await deleteUserSessions(trx, id)
      })
      await sync.reauthorize({ userId: id })
      logger.info('account disabled', { userId: id, by: actor.id })
      return toAccount({ ...user, disabled_at: disabledAt })
    },

    async enable(actor: UserRow, id: string): Promise<AdminAccount> {
      const user = await target(id)
      await updateUser(db, id, { disabled_at: null, updated_at: now() })
      logger.info('account enabled', { userId: id, by: actor.id })
      return toAccount({ ...user, disabled_at: null })
    },

    settings: (): Promise<InstanceSettings> => readInstanceSettings(db),

    updateSettings: (patch: InstanceSettings): Promise<InstanceSettings> =>
      writeInstanceSettings(db, patch),

    /** Through the configured mailer, like any other mail (SMTP, or the outbox table). */
    async sendTestEmail(actor: UserRow): Promise<{ to: string; via: 'smtp' | 'outbox' }> {
      await mailer.send({
        to: actor.email,
        subject: 'TaskFlow test e-mail',
        text:
          `This is a test message from your TaskFlow instance at ${config.TASKFLOW_PUBLIC_URL}.\n\n` +
          `If you can read it, outgoing mail works.\n`,
      })
      return { to: actor.email, via: config.SMTP_URL ? 'smtp' : 'outbox' }
    },

    async health(): Promise<InstanceHealth> {
      version ??= (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version
      const mail = await db
        .selectFrom('notifications')
        .select(['email_state', (eb) => eb.fn.countAll<number>().as('n')])
        .where('email_state', 'in', ['pending', 'digest'])
        .groupBy('email_state')
        .execute()
      const outbox = await db
        .selectFrom('mail_outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
      const count = (state: string) => Number(mail.find((r) => r.email_state === state)?.n ?? 0)
      return {
        version,
        databaseBytes: await databaseBytes(db),
        roomsLoaded: deps.roomsLoaded(),
        derivationLag: await readDerivationLag(db),
        mailQueue: { pending: count('pending'), digest: count('digest'), outbox: Number(outbox.n) },
      }
    },
  }
}
