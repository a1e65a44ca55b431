import { z } from 'zod'
import { TimestampSchema, UserSchema } from './auth.js'

/** `GET /api/v1/me`: the signed-in user, and whether they administer the instance. */
export const MeSchema = UserSchema.extend({ admin: z.boolean() }).meta({ id: 'Me' })
export type Me = z.infer<typeof MeSchema>

/** One row of `GET /api/v1/admin/accounts`. */
export const AdminAccountSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    createdAt: TimestampSchema,
    disabled: z.boolean(),
    admin: z.boolean(),
  })
  .meta({ id: 'AdminAccount' })
export type AdminAccount = z.infer<typeof AdminAccountSchema>

/** `GET /api/v1/admin/accounts`: oldest first; pass `nextAfter` as `after` for the next page. */
export const AdminAccountsPageSchema = z.object({
  accounts: z.array(AdminAccountSchema),
  nextAfter: z.string().nullable(),
})
export type AdminAccountsPage = z.infer<typeof AdminAccountsPageSchema>

/** The `nextAfter` cursor of the accounts list: `<created ms>_<user id>`. */
export const ACCOUNTS_CURSOR = /^([0-9]{1,15})_([0-9a-f-]{36})$/

/** Query of `GET /api/v1/admin/accounts`. */
export const AdminAccountsQuerySchema = z
  .object({
    after: z.string().regex(ACCOUNTS_CURSOR, 'a cursor from nextAfter').optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict()

/** Path of `/admin/accounts/:id/…`. */
export const AccountParamsSchema = z.object({ id: z.uuid() }).strict()

/** `open`: anyone may register. `invite_only`: only with a valid project invitation token. */
export const SignupModeSchema = z.enum(['open', 'invite_only'])
export type SignupMode = z.infer<typeof SignupModeSchema>

/** `GET`/`PUT /api/v1/admin/settings`. */
export const InstanceSettingsBodySchema = z.object({ signup: SignupModeSchema }).strict()
export type InstanceSettings = z.infer<typeof InstanceSettingsBodySchema>
/** The answer of `GET`/`PUT /api/v1/admin/settings`. */
export const InstanceSettingsSchema = z
  .object({ signup: SignupModeSchema })
  .meta({ id: 'InstanceSettings' })

/** `POST /api/v1/admin/test-email`: where the test message went. */
export const TestEmailResponseSchema = z.object({
  to: z.string(),
  via: z.enum(['smtp', 'outbox']),
})
export type TestEmailResponse = z.infer<typeof TestEmailResponseSchema>

/** `GET /api/v1/admin/health`. */
export const InstanceHealthSchema = z
  .object({
    version: z.string(),
    /** Bytes of the SQLite database file (pages × page size; the WAL not included). */
    databaseBytes: z.number().int().nonnegative(),
    /** Documents held in memory on this node. */
    roomsLoaded: z.number().int().nonnegative(),
    /** Committed updates not yet derived (reports + activity), summed over projects. */
    derivationLag: z.number().int().nonnegative(),
    mailQueue: z.object({
      /** Notifications waiting for their immediate e-mail. */
      pending: z.number().int().nonnegative(),
      /** Notifications waiting for the next daily digest. */
      digest: z.number().int().nonnegative(),
      /** Messages in the outbox table (mail written there when SMTP_URL is unset). */
      outbox: z.number().int().nonnegative(),
    }),
  })
  .meta({ id: 'InstanceHealth' })
export type InstanceHealth = z.infer<typeof InstanceHealthSchema>
