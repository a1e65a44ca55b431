import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { APP_DIR, loadServer, PASSWORD, registerAccount } from './fixtures'

let taskflow: { url: string; close: () => Promise<void> }
let dir: string

// Its own server, not the shared fixture's (which requires verification): this one runs as
// an install without SMTP_URL does by default (TASKFLOW_EMAIL_VERIFICATION=auto, so off).
test.beforeAll(async () => {
  const { parseConfig, startServer } = await loadServer()
  dir = mkdtempSync(join(tmpdir(), 'taskflow-e2e-default-'))
  taskflow = await startServer(
    parseConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      TASKFLOW_DB: join(dir, 'taskflow.db'),
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      TASKFLOW_APP_DIR: APP_DIR,
    }),
  )
})

test.afterAll(async () => {
  await taskflow?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

test('without a mail server, sign-up signs in at once, and an address with an account is refused', async ({
  page,
}) => {
  const noMail = () => Promise.reject(new Error('no mail expected without verification'))
  // Someone else's instance: this is not its first account.
  await registerAccount(
    { url: taskflow.url, mailTo: noMail },
    { name: 'Admin', email: 'admin@example.org', password: PASSWORD },
  )
  const signUp = async (name: string, email: string) => {
    await page.goto(`${taskflow.url}/signup`)
    await page.getByLabel('Name').fill(name)
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign up' }).click()
  }
  await signUp('Uma', 'uma@example.org')
  await page.waitForURL('**/projects')
  await expect(page.getByRole('button', { name: 'Account menu' })).toBeVisible()

  await page.evaluate(() => localStorage.clear())
  await signUp('Not Uma', 'uma@example.org')
  await expect(page.getByRole('alert')).toContainText('An account with this e-mail already exists')
  await expect(page).toHaveURL(/\/signup/)
})
