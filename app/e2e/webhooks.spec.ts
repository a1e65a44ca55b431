import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { api, createSharedProject, expect, test } from './fixtures'
import { MembersPage } from './page-models/members-page'
import { WebhooksPage } from './page-models/webhooks-page'

/** The independent Standard Webhooks library, from the server's dev dependencies. */
const { Webhook } = createRequire(new URL('../../sync-server/package.json', import.meta.url))(
  'standardwebhooks',
) as { Webhook: new (secret: string) => { verify(body: string, headers: object): unknown } }

test('an admin adds a webhook, sees its secret once, and sees a signed delivery arrive', async ({
  server,
  register,
  signedInPage,
}) => {
  const received: { headers: Record<string, string>; body: string }[] = []
  const receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body })
      res.statusCode = 204
      res.end()
    })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
  try {
    const owner = await register('Olivia')
    const teammate = await register('Tom')
    const projectId = await createSharedProject(server, owner, 'Hooks', [])
    const { page } = await signedInPage(owner)
    await new MembersPage(page).goto(projectId)
    const hooks = new WebhooksPage(page)
    await hooks.add(url, ['member.added'])
    await expect(hooks.secret).toHaveText(/^whsec_/)
    const secret = (await hooks.secret.textContent())!
    await expect(hooks.hook(url)).toContainText('member.added')

    await api(server, owner, `/projects/${projectId}/members`, {
      method: 'POST',
      body: { email: teammate.user.email, role: 'member' },
    })
    await expect.poll(() => received.length, { timeout: 15_000 }).toBe(1)
    const body = new Webhook(secret).verify(received[0]!.body, received[0]!.headers) as any
    expect(body).toMatchObject({ type: 'member.added', data: { userId: teammate.user.id } })

    await hooks.hook(url).getByRole('button', { name: 'Deliveries' }).click()
    await expect(hooks.deliveries(url)).toContainText('member.added')
    await expect(hooks.deliveries(url)).toContainText('delivered')
    await hooks.deliveries(url).getByRole('button', { name: 'Redeliver' }).click()
    await expect.poll(() => received.length, { timeout: 15_000 }).toBe(2)
    expect(received[1]!.headers['webhook-id']).toBe(received[0]!.headers['webhook-id'])
    await hooks.hook(url).getByRole('button', { name: 'Refresh' }).click()
    await expect(hooks.deliveries(url)).toContainText('2 tries')

    // Reloaded, the secret is gone for good.
    await page.reload()
    await expect(hooks.hook(url)).toBeVisible()
    await expect(hooks.secret).toHaveCount(0)
  } finally {
    receiver.close()
  }
})
