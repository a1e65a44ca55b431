import { createRequire } from 'node:module'
import type { Page } from '@playwright/test'
import {
  type Account,
  expect,
  PASSWORD,
  publishScreenshots,
  saveScreenshot,
  test,
} from './fixtures'

/**
 * The worker's server may hold accounts from earlier spec files, so the first one
 * registered here is not necessarily the instance admin: flag it in SQL when needed, as a
 * locked-out operator would (docs/operations.md, Administration).
 */
async function makeAdmin(server: { url: string; dbFile: string }, account: Account) {
  const me = await fetch(`${server.url}/api/v1/me`, {
    headers: { authorization: `Bearer ${account.token}` },
  }).then((r) => r.json())
  if (me.admin) return
  const require = createRequire(new URL('../../sync-server/package.json', import.meta.url))
  const Database = require('better-sqlite3') as new (
    path: string,
  ) => { prepare(sql: string): { run(...a: unknown[]): void }; close(): void }
  const db = new Database(server.dbFile)
  try {
    db.prepare('update users set is_admin = 1 where id = ?').run(account.user.id)
  } finally {
    db.close()
  }
}

async function logIn(server: { url: string }, email: string): Promise<Response> {
  return fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  })
}

/** Opens the projects page and the account menu once the app knows whether it is an admin. */
async function openAccountMenu(page: Page) {
  const me = page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.ok())
  await page.goto('/projects')
  await me
  await page.getByRole('button', { name: 'Account menu' }).click()
  await expect(page.getByRole('menuitem', { name: 'Profile' })).toBeVisible()
}

test('an admin disables an account from the Admin page (it cannot sign in) and enables it again', async ({
  server,
  register,
  signedInPage,
}) => {
  const ada = await register('Ada')
  await makeAdmin(server, ada)
  const bob = await register('Bob')

  const { page } = await signedInPage(ada)
  await openAccountMenu(page)
  await page.getByRole('menuitem', { name: 'Admin' }).click()
  await page.waitForURL('**/admin')
  await expect(page.getByRole('heading', { name: 'Administration' })).toBeVisible()
  await expect(page.getByText('Rooms loaded')).toBeVisible()
  await expect(page.getByTestId('admin-account').filter({ hasText: bob.user.email })).toBeVisible()
  await saveScreenshot(page, 'admin')

  const bobRow = page.getByTestId('admin-account').filter({ hasText: bob.user.email })
  await bobRow.getByRole('button', { name: `Disable ${bob.user.email}` }).click()
  await expect(bobRow).toContainText('Disabled')
  expect((await logIn(server, bob.user.email)).status).toBe(403)

  await bobRow.getByRole('button', { name: `Enable ${bob.user.email}` }).click()
  await expect(bobRow).toContainText('Active')
  const back = await logIn(server, bob.user.email)
  expect(back.status).toBe(200)

  await page.getByRole('button', { name: 'Send test e-mail' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'test e-mail' })).toBeVisible()
  expect(server.lastMailTo(ada.user.email)).toContain('outgoing mail works')

  // Bob is no admin: once the app heard so from the server, his menu has no Admin entry.
  const bobPage = (await signedInPage((await back.json()) as Account)).page
  await openAccountMenu(bobPage)
  await expect(bobPage.getByRole('menuitem', { name: 'Admin' })).toHaveCount(0)
  publishScreenshots('admin')
})
