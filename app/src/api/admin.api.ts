import {
  AdminAccountSchema,
  AdminAccountsPageSchema,
  InstanceHealthSchema,
  InstanceSettingsSchema,
  MeSchema,
  type SignupMode,
  TestEmailResponseSchema,
} from '@taskflow/api'
import { apiRequest } from './client'

export type { AdminAccount, InstanceHealth, SignupMode } from '@taskflow/api'

/** `GET /me`'s `admin` flag: whether the signed-in account administers the instance. */
export const getIsAdmin = () => apiRequest('/me', { schema: MeSchema }).then((me) => me.admin)

export const listAccounts = (after?: string) =>
  apiRequest(`/admin/accounts?limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`, {
    schema: AdminAccountsPageSchema,
  })

export const setAccountDisabled = (id: string, disabled: boolean) =>
  apiRequest(`/admin/accounts/${id}/${disabled ? 'disable' : 'enable'}`, {
    method: 'POST',
    schema: AdminAccountSchema,
  })

export const getInstanceSettings = () =>
  apiRequest('/admin/settings', { schema: InstanceSettingsSchema })

export const putInstanceSettings = (signup: SignupMode) =>
  apiRequest('/admin/settings', { method: 'PUT', body: { signup }, schema: InstanceSettingsSchema })

export const sendTestEmail = () =>
  apiRequest('/admin/test-email', { method: 'POST', schema: TestEmailResponseSchema })

export const getInstanceHealth = () => apiRequest('/admin/health', { schema: InstanceHealthSchema })
