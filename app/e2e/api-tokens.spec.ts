import { api, expect, saveScreenshot, test } from './fixtures'
import { ApiTokensPage } from './page-models/api-tokens-page'

test('a token created in Settings works against the API until it is revoked', async ({
  server,
  register,
  signedInPage,
}) => {
  const tess = await register('Tess')
  const alpha = await api<{ id: string }>(server, tess, '/projects', {
    method: 'POST',
    body: { name: 'Alpha' },
  })
  await api(server, tess, '/projects', { method: 'POST', body: { name: 'Beta' } })
  const { context, page } = await signedInPage(tess)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
  const tokens = new ApiTokensPage(page)
  await tokens.goto()

  await tokens.create({
    name: 'CI script',
    scope: 'Read only',
    projects: ['Alpha'],
    expires: '30 days',
  })
  await expect(tokens.secret).toHaveValue(/^tfp_[A-Za-z0-9_-]{43}$/)
  const secret = await tokens.secret.inputValue()
  await tokens.newToken.getByRole('button', { name: 'Copy' }).click()
  await expect(tokens.newToken.getByRole('button', { name: 'Copied' })).toBeVisible()
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret)
  await saveScreenshot(page, 'api-tokens-created')

  // A script uses it: it sees only Alpha, and cannot write.
  const call = (path: string, method = 'GET') =>
    fetch(`${server.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${secret}` } })
  const listed = await call('/projects')
  expect(listed.status).toBe(200)
  const body = (await listed.json()) as { projects: { name: string }[] }
  expect(body.projects.map((p) => p.name)).toEqual(['Alpha'])
  expect((await call(`/projects/${alpha.id}/archive`, 'POST')).status).toBe(403)

  await tokens.newToken.getByRole('button', { name: 'Done' }).click()
  await expect(tokens.secret).toHaveCount(0)
  await page.reload()
  const row = tokens.row('CI script')
  await expect(row).toContainText('read only')
  await expect(row).toContainText('Alpha')
  await expect(row).not.toContainText('Last used never')
  await expect(row).toContainText(/Last used .+/)
  await saveScreenshot(page, 'api-tokens-list')
  // Shown once: nowhere on the page any more.
  expect(await page.content()).not.toContain(secret)

  await tokens.revoke('CI script')
  await expect(row).toHaveCount(0)
  const refused = await call('/projects')
  expect(refused.status).toBe(401)
})
