import {
  AccountParamsSchema,
  AdminAccountSchema,
  AdminAccountsPageSchema,
  AdminAccountsQuerySchema,
  InstanceHealthSchema,
  InstanceSettingsBodySchema,
  InstanceSettingsSchema,
  TestEmailResponseSchema,
} from './admin.js'
import { defineRoute } from './registry.js'

const tag = 'Administration'
const access = 'instance admin'
const notAdmin = 'Not an instance admin'

/** `/admin/*`: 401 signed out, 403 for anyone but an instance admin. */
export const ADMIN_ROUTES = [
  defineRoute({
    method: 'get',
    path: '/admin/accounts',
    tag,
    auth: 'session',
    access,
    summary: 'Every account, oldest first',
    query: AdminAccountsQuerySchema,
    responses: { 200: AdminAccountsPageSchema },
    errors: { 403: notAdmin },
  }),
  defineRoute({
    method: 'post',
    path: '/admin/accounts/:id/disable',
    tag,
    auth: 'session',
    access,
    summary: 'Disable an account and sign it out everywhere',
    params: AccountParamsSchema,
    responses: { 200: AdminAccountSchema },
    errors: {
      403: notAdmin,
      404: 'Unknown account',
      409: 'Your own account, or the last enabled admin',
    },
  }),
  defineRoute({
    method: 'post',
    path: '/admin/accounts/:id/enable',
    tag,
    auth: 'session',
    access,
    summary: 'Let a disabled account sign in again',
    params: AccountParamsSchema,
    responses: { 200: AdminAccountSchema },
    errors: { 403: notAdmin, 404: 'Unknown account' },
  }),
  defineRoute({
    method: 'get',
    path: '/admin/settings',
    tag,
    auth: 'session',
    access,
    summary: 'Instance settings',
    responses: { 200: InstanceSettingsSchema },
    errors: { 403: notAdmin },
  }),
  defineRoute({
    method: 'put',
    path: '/admin/settings',
    tag,
    auth: 'session',
    access,
    summary: 'Change instance settings',
    body: InstanceSettingsBodySchema,
    responses: { 200: InstanceSettingsSchema },
    errors: { 403: notAdmin },
  }),
  defineRoute({
    method: 'post',
    path: '/admin/test-email',
    tag,
    auth: 'session',
    access,
    summary: 'Send a test e-mail to me',
    responses: { 202: { description: 'Handed to the mailer', schema: TestEmailResponseSchema } },
    errors: { 403: notAdmin },
  }),
  defineRoute({
    method: 'get',
    path: '/admin/health',
    tag,
    auth: 'session',
    access,
    summary: 'Server health figures',
    responses: { 200: InstanceHealthSchema },
    errors: { 403: notAdmin },
  }),
]
