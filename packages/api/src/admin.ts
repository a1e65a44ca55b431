import { z } from 'zod'
import type { User } from './auth.js'

/** `GET /api/v1/me`: the signed-in user, and whether they administer the instance. */
export interface Me extends User {
  admin: boolean
}

/** One row of `GET /api/v1/admin/accounts`. */
export interface AdminAccount {
  id: string
  email: string
  name: string
  createdAt: string
  disabled: boolean
  admin: boolean
}

/** `GET /api/v1/admin/accounts`: oldest first; pass `nextAfter` as `after` for the next page. */
export interface AdminAccountsPage {
  accounts: AdminAccount[]
  nextAfter: string | null
}

/** `open`: anyone may register. `invite_only`: only with a valid project invitation token. */
export const SignupModeSchema = z.enum(['open', 'invite_only'])
export type SignupMode = z.infer<typeof SignupModeSchema>

/** `GET`/`PUT /api/v1/admin/settings`. */
export const InstanceSettingsBodySchema = z.object({ signup: SignupModeSchema }).strict()
export type InstanceSettings = z.infer<typeof InstanceSettingsBodySchema>

/** `GET /api/v1/admin/health`. */
export interface InstanceHealth {
  version: string
  /** Bytes of the SQLite database file (pages × page size; the WAL not included). */
  databaseBytes: number
  /** Documents held in memory on this node. */
  roomsLoaded: number
  /** Committed updates not yet derived (reports + activity), summed over projects. */
  derivationLag: number
  mailQueue: {
    /** Notifications waiting for their immediate e-mail. */
    pending: number
    /** Notifications waiting for the next daily digest. */
    digest: number
    /** Messages in the outbox table (mail written there when SMTP_URL is unset). */
    outbox: number
  }
}
