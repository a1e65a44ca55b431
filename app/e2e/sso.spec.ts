import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { APP_DIR, loadServer } from './fixtures'

/** What the spec uses of sync-server/src/test/oidc-provider.ts (a real oidc-provider). */
interface TestProvider {
  issuer: string
  signInAs(sub: string): void
  close(): Promise<void>
}

/** A port nobody listens on now: the provider must know TaskFlow's redirect URI up front. */
async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as { port: number }
  await new Promise((resolve) => probe.close(resolve))
  return port
}

let provider: TestProvider
let taskflow: { close: () => Promise<void> }
let base: string
let dir: string

// Its own server, not the shared fixture's: this one signs in through SSO only.
test.beforeAll(async () => {
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  const helper = new URL('../../sync-server/src/test/oidc-provider.ts', import.meta.url)
  const { startTestProvider } = await import(helper.href)
  provider = await startTestProvider({
    clients: [
      {
        client_id: 'taskflow',
        client_secret: 'taskflow-e2e-secret',
        redirect_uris: [`${base}/api/v1/auth/oidc/callback`],
      },
    ],
    accounts: [
      { sub: 'grace-1', email: 'grace@example.org', email_verified: true, name: 'Grace Hopper' },
      { sub: 'eve-1', email: 'eve@example.org', email_verified: false, name: 'Eve' },
    ],
  })
  const { parseConfig, startServer } = await loadServer()
  dir = mkdtempSync(join(tmpdir(), 'taskflow-e2e-sso-'))
  taskflow = await startServer(
    parseConfig({
      PORT: String(port),
      HOST: '127.0.0.1',
      TASKFLOW_DB: join(dir, 'taskflow.db'),
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      TASKFLOW_APP_DIR: APP_DIR,
      TASKFLOW_PUBLIC_URL: base,
      TASKFLOW_OIDC_ISSUER: provider.issuer,
      TASKFLOW_OIDC_CLIENT_ID: 'taskflow',
      TASKFLOW_OIDC_CLIENT_SECRET: 'taskflow-e2e-secret',
      TASKFLOW_OIDC_ALLOW_HTTP: '1',
      TASKFLOW_OIDC_BUTTON_LABEL: 'Acme ID',
      TASKFLOW_OIDC_ONLY: '1',
    }),
  )
})

test.afterAll(async () => {
  await taskflow?.close()
  await provider?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

test('with SSO only, the login page offers just "Sign in with Acme ID", which signs in through the provider', async ({
  page,
}) => {
  await page.goto(`${base}/login`)
  const button = page.getByRole('link', { name: 'Sign in with Acme ID' })
  await expect(button).toBeVisible()
  await expect(page.getByLabel('Password')).toHaveCount(0)

  provider.signInAs('grace-1')
  await button.click()
  await page.waitForURL(`${base}/projects`)
  // The token came in the fragment and is gone from the address bar.
  expect(page.url()).not.toContain('token')
  await expect(page.getByRole('button', { name: 'Account menu' })).toBeVisible()
  const stored = await page.evaluate(() => localStorage.getItem('taskflow.session'))
  expect(JSON.parse(stored ?? '{}').user).toMatchObject({
    email: 'grace@example.org',
    name: 'Grace Hopper',
  })

  // A real session: it survives a reload, and the API answers with it.
  await page.reload()
  await expect(page.getByRole('button', { name: 'Account menu' })).toBeVisible()
})

test('an address the provider has not verified is refused with a message, and no one is signed in', async ({
  page,
}) => {
  await page.goto(`${base}/login`)
  provider.signInAs('eve-1')
  await page.getByRole('link', { name: 'Sign in with Acme ID' }).click()
  await page.waitForURL(/\/login\?ssoError=email_unverified$/)
  await expect(page.getByRole('alert')).toContainText('has not verified your e-mail address')
  expect(await page.evaluate(() => localStorage.getItem('taskflow.session'))).toBeNull()
})
