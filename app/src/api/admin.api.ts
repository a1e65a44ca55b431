import { z } from 'zod'
import { apiRequest } from './client'

/** `GET /me`'s `admin` flag: whether the signed-in account administers the instance. */
export const getIsAdmin = () =>
  apiRequest('/me', {
    schema: z.object({ admin: z.boolean().catch(false) }).transform((me) => me.admin),
  })

export const adminAccountSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().catch(''),
  createdAt: z.string(),
  disabled: z.boolean(),
  admin: z.boolean(),
})
export type AdminAccount = z.infer<typeof adminAccountSchema>

const accountsPageSchema = z.object({
  accounts: z.array(adminAccountSchema),
  nextAfter: z.string().nullable(),
})

export const listAccounts = (after?: string) =>
  apiRequest(`/admin/accounts?limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`, {
    schema: accountsPageSchema,
  })

export const setAccountDisabled = (id: string, disabled: boolean) =>
  apiRequest(`/admin/accounts/${id}/${disabled ? 'disable' : 'enable'}`, {
    method: 'POST',
    schema: adminAccountSchema,
  })

export const signupModeSchema = z.enum(['open', 'invite_only'])
export type SignupMode = z.infer<typeof signupModeSchema>
const settingsSchema = z.object({ signup: signupModeSchema })

export const getInstanceSettings = () => apiRequest('/admin/settings', { schema: settingsSchema })

export const putInstanceSettings = (signup: SignupMode) =>
  apiRequest('/admin/settings', { method: 'PUT', body: { signup }, schema: settingsSchema })

export const sendTestEmail = () =>
  apiRequest('/admin/test-email', {
    method: 'POST',
    schema: z.object({ to: z.string(), via: z.enum(['smtp', 'outbox']) }),
  })

export const healthSchema = z.object({
  version: z.string(),
  databaseBytes: z.number(),
  roomsLoaded: z.number(),
  derivationLag: z.number(),
  mailQueue: z.object({ pending: z.number(), digest: z.number(), outbox: z.number() }),
})
export type InstanceHealth = z.infer<typeof healthSchema>

export const getInstanceHealth = () => apiRequest('/admin/health', { schema: healthSchema })
