import { describe, expect, it } from 'vitest'
import { createTestApi, signUp, type TestApi } from '../test/test-api.js'

/** Waits (by polling, bounded) for the first mail to `to` after its sign-up link, as the outbox holds it. */
async function firstMailTo(api: TestApi, to: string) {
  const deadline = Date.now() + 15_000
  for (;;) {
    const row = await api.db
      .selectFrom('mail_outbox')
      .select(['subject', 'text', 'headers'])
      .where('to_address', '=', to)
      .where('text', 'not like', '%/verify-email/%')
      .orderBy('id')
      .executeTakeFirst()
    if (row) return { ...row, headers: JSON.parse(row.headers ?? '{}') as Record<string, string> }
    if (Date.now() > deadline) throw new Error(`timed out waiting for mail to ${to}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** Bob joins Ann's project: he gets an "added" notification and its e-mail. */
async function bobIsAdded(api: TestApi) {
  const ann = await signUp(api, 'ann@example.com')
  const bob = await signUp(api, 'bob@example.com')
  const p = await api.call('POST', '/api/v1/projects', {
    token: ann.token,
    body: { name: 'Launch' },
  })
  const added = await api.call('POST', `/api/v1/projects/${p.body.id}/members`, {
    token: ann.token,
    body: { email: 'bob@example.com', role: 'member' },
  })
  expect(added.status).toBe(201)
  const mail = await firstMailTo(api, 'bob@example.com')
  const link = /Stop e-mails like this \(added\): (\S+)/.exec(mail.text)![1]!
  const url = new URL(link)
  return { bob, mail, link, path: url.pathname + url.search }
}

async function page(api: TestApi, method: 'GET' | 'POST', path: string) {
  const res = await api.app.request(path, {
    method,
    ...(method === 'POST'
      ? {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'List-Unsubscribe=One-Click',
        }
      : {}),
  })
  return { status: res.status, type: res.headers.get('content-type'), html: await res.text() }
}

async function addedChannel(api: TestApi, token: string) {
  const prefs = await api.call('GET', '/api/v1/notifications/preferences', { token })
  return prefs.body.triggers.added
}

describe('unsubscribe links', () => {
  it('are announced for one-click unsubscribe in the mail headers', async () => {
    const api = await createTestApi()
    const { mail, link } = await bobIsAdded(api)
    expect(mail.subject).toBe('[TaskFlow] ann added you to the project Launch')
    expect(mail.headers).toEqual({
      'List-Unsubscribe': `<${link}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    })
  })

  it('only ask on GET, so a mail scanner following the link changes nothing; POST unsubscribes', async () => {
    const api = await createTestApi()
    const { bob, path } = await bobIsAdded(api)

    const asked = await page(api, 'GET', path)
    expect(asked.status).toBe(200)
    expect(asked.type).toContain('text/html')
    expect(asked.html).toContain('Stop e-mails about being added to projects?')
    expect(asked.html).toContain(`<form method="post" action="${path}">`)
    const again = await page(api, 'GET', path)
    expect(again.status).toBe(200)
    expect(await addedChannel(api, bob.token)).toEqual({ inApp: true, email: true })

    // What a mail client's unsubscribe button (RFC 8058) or the page's button sends.
    const done = await page(api, 'POST', path)
    expect(done.status).toBe(200)
    expect(done.html).toContain('You will no longer get e-mails about being added to projects.')
    expect(await addedChannel(api, bob.token)).toEqual({ inApp: true, email: false })
    const prefs = await api.call('GET', '/api/v1/notifications/preferences', { token: bob.token })
    expect(prefs.body.triggers.comment).toEqual({ inApp: true, email: true })

    // Following it once more (e.g. the mail client did, then the person clicked) is harmless.
    expect((await page(api, 'POST', path)).html).toContain('Already unsubscribed')
  })

  it('stop working once the preferences change after the mail was sent, and say so', async () => {
    const api = await createTestApi()
    const { bob, path } = await bobIsAdded(api)
    const changed = await api.call('PUT', '/api/v1/notifications/preferences', {
      token: bob.token,
      body: { emailMode: 'digest' },
    })
    expect(changed.status).toBe(200)

    for (const method of ['GET', 'POST'] as const) {
      const stale = await page(api, method, path)
      expect(stale.status, method).toBe(410)
      expect(stale.html, method).toContain('This link has expired')
    }
    expect(await addedChannel(api, bob.token)).toEqual({ inApp: true, email: true })
  })

  it('answer a forged, altered or missing token with a page that changes nothing', async () => {
    const api = await createTestApi()
    const { bob, path } = await bobIsAdded(api)
    const altered = path.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A'))
    for (const p of [altered, '/api/v1/notifications/unsubscribe', `${path}x.y`]) {
      const res = await page(api, 'POST', p)
      expect(res.status, p).toBe(400)
      expect(res.html, p).toContain('Invalid unsubscribe link')
    }
    expect(await addedChannel(api, bob.token)).toEqual({ inApp: true, email: true })
  })
})
