import { describe, expect, it } from 'vitest'
import {
  createTestApi,
  lastMailTo,
  recordSyncCalls,
  signUp,
  type TestApi,
} from '../test/test-api.js'

const PW = 'correct horse battery'

describe('accounts', () => {
  it('registers, returns a working session token and shows the user at /me', async () => {
    const api = await createTestApi()
    const reg = await api.call('POST', '/api/v1/auth/register', {
      body: { email: ' Ann@Example.org ', password: PW, name: 'Ann' },
    })
    expect(reg.status).toBe(201)
    expect(reg.body.user).toMatchObject({ email: 'ann@example.org', name: 'Ann' })
    expect(reg.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(reg.body.user.passwordHash).toBeUndefined()
    const me = await api.call('GET', '/api/v1/me', { token: reg.body.token })
    expect(me.status).toBe(200)
    // The first account of the instance is its admin (issue 19).
    expect(me.body).toEqual({ ...reg.body.user, admin: true })
  })

  it('treats e-mails case-insensitively: one account per address, and with verification says nothing of it', async () => {
    const api = await createTestApi({ env: { TASKFLOW_EMAIL_VERIFICATION: 'required' } })
    await signUp(api, 'admin@example.org')
    await signUp(api, 'bo@example.org')
    const again = await api.call('POST', '/api/v1/auth/register', {
      body: { email: 'BO@Example.ORG', password: 'another long password', name: 'Bo' },
    })
    const fresh = await api.call('POST', '/api/v1/auth/register', {
      body: { email: 'new@example.org', password: 'another long password', name: 'Bo' },
    })
    // A known address answers exactly like a new one (no enumeration, issue 19).
    expect(again.status).toBe(202)
    expect(again.body).toEqual(fresh.body)
    expect((await lastMailTo(api.db, 'bo@example.org')).subject).toMatch(/tried to sign up/)
    const login = await api.call('POST', '/api/v1/auth/login', {
      body: { email: 'Bo@EXAMPLE.org', password: PW },
    })
    expect(login.status).toBe(200)
  })

  it('keeps e-mails unique case-insensitively in the database itself', async () => {
    const api = await createTestApi()
    await signUp(api, 'zed@example.org')
    const row = await api.db.selectFrom('users').selectAll().executeTakeFirstOrThrow()
    await expect(
      api.db
        .insertInto('users')
        .values({ ...row, id: 'other', email: 'ZED@example.org' })
        .execute(),
    ).rejects.toThrow(/UNIQUE/)
  })

  it('answers a wrong password and an unknown e-mail identically', async () => {
    const api = await createTestApi()
    await signUp(api, 'cy@example.org')
    const wrong = await api.call('POST', '/api/v1/auth/login', {
      body: { email: 'cy@example.org', password: 'not the password' },
    })
    const unknown = await api.call('POST', '/api/v1/auth/login', {
      body: { email: 'nobody@example.org', password: 'not the password' },
    })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(wrong.body).toEqual(unknown.body)
  })

  it('stores session tokens only as hashes', async () => {
    const api = await createTestApi()
    const { token } = await signUp(api, 'di@example.org')
    const rows = await api.db.selectFrom('sessions').selectAll().execute()
    expect(rows).toHaveLength(1)
    expect(JSON.stringify(rows)).not.toContain(token)
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('logout revokes the session and tells the sync hub', async () => {
    const api = await createTestApi()
    const syncCalls = recordSyncCalls(api)
    const { token } = await signUp(api, 'ed@example.org')
    const session = await api.db.selectFrom('sessions').select('id').executeTakeFirstOrThrow()
    expect((await api.call('POST', '/api/v1/auth/logout', { token })).status).toBe(204)
    expect((await api.call('GET', '/api/v1/me', { token })).status).toBe(401)
    expect(syncCalls).toContainEqual(['reauthorize', { sessionId: session.id }])
  })

  it('expires sessions after TASKFLOW_SESSION_TTL_DAYS', async () => {
    const api = await createTestApi({ env: { TASKFLOW_SESSION_TTL_DAYS: '2' } })
    const { token } = await signUp(api, 'fa@example.org')
    api.advance(2 * 86_400_000 - 1000)
    expect((await api.call('GET', '/api/v1/me', { token })).status).toBe(200)
    api.advance(2000)
    const res = await api.call('GET', '/api/v1/me', { token })
    expect(res.status).toBe(401)
    expect(res.body.error.code).toBe('unauthenticated')
  })

  it('updates name and avatar colour', async () => {
    const api = await createTestApi()
    const { token } = await signUp(api, 'gu@example.org')
    const res = await api.call('PATCH', '/api/v1/me', {
      token,
      body: { name: 'Gus', avatarColor: '#AABBCC' },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ name: 'Gus', avatarColor: '#aabbcc' })
    expect((await api.call('GET', '/api/v1/me', { token })).body.name).toBe('Gus')
  })

  it('changing the password keeps this session and signs out the others', async () => {
    const api = await createTestApi()
    const syncCalls = recordSyncCalls(api)
    const { token, id } = await signUp(api, 'hu@example.org')
    const other = await api.call('POST', '/api/v1/auth/login', {
      body: { email: 'hu@example.org', password: PW },
    })
    const bad = await api.call('POST', '/api/v1/me/password', {
      token,
      body: { currentPassword: 'wrong password', newPassword: 'new password 123' },
    })
    expect(bad.status).toBe(403)
    const ok = await api.call('POST', '/api/v1/me/password', {
      token,
      body: { currentPassword: PW, newPassword: 'new password 123' },
    })
    expect(ok.status).toBe(204)
    expect((await api.call('GET', '/api/v1/me', { token })).status).toBe(200)
    expect((await api.call('GET', '/api/v1/me', { token: other.body.token })).status).toBe(401)
    expect(syncCalls).toContainEqual(['reauthorize', { userId: id }])
    const login = await api.call('POST', '/api/v1/auth/login', {
      body: { email: 'hu@example.org', password: 'new password 123' },
    })
    expect(login.status).toBe(200)
  })
})

describe('weak passwords', () => {
  const tokenFrom = (text: string) => /reset-password\?token=([A-Za-z0-9_-]{43})/.exec(text)![1]!

  it('sign-up refuses a common password with 400 weak_password saying why and how, and creates nothing', async () => {
    const api = await createTestApi()
    const res = await api.call('POST', '/api/v1/auth/register', {
      body: { email: 'oz@example.org', password: '12345678', name: 'Oz' },
    })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('weak_password')
    expect(res.body.error.message).toMatch(
      /too easy to guess: it is one of the most common passwords/,
    )
    expect(res.body.error.message).toMatch(/three or four unrelated words/)
    expect(await api.db.selectFrom('users').selectAll().execute()).toEqual([])
  })

  it('sign-up refuses the account e-mail as its password', async () => {
    const api = await createTestApi()
    const res = await api.call('POST', '/api/v1/auth/register', {
      body: { email: 'oz.wizard@example.org', password: 'oz.wizard@example.org', name: 'Oz' },
    })
    expect(res.status).toBe(400)
    expect(res.body.error.message).toMatch(/your name or e-mail address/)
  })

  it('a password change to a common password is refused and the old password keeps working', async () => {
    const api = await createTestApi()
    const { token } = await signUp(api, 'pia@example.org')
    const res = await api.call('POST', '/api/v1/me/password', {
      token,
      body: { currentPassword: PW, newPassword: 'P@ssw0rd123' },
    })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('weak_password')
    const login = await api.call('POST', '/api/v1/auth/login', {
      body: { email: 'pia@example.org', password: PW },
    })
    expect(login.status).toBe(200)
  })

  it('a reset to a common password is refused without using up the link', async () => {
    const api = await createTestApi()
    await signUp(api, 'quin@example.org')
    await api.call('POST', '/api/v1/auth/password-reset/request', {
      body: { email: 'quin@example.org' },
    })
    const token = tokenFrom((await lastMailTo(api.db, 'quin@example.org')).text)
    const weak = await api.call('POST', '/api/v1/auth/password-reset/confirm', {
      body: { token, newPassword: 'qwertyuiop' },
    })
    expect(weak.status).toBe(400)
    expect(weak.body.error.code).toBe('weak_password')
    const strong = await api.call('POST', '/api/v1/auth/password-reset/confirm', {
      body: { token, newPassword: 'brand new secret' },
    })
    expect(strong.status).toBe(204)
  })

  it('TASKFLOW_PASSWORD_MIN_SCORE=0 turns the check off', async () => {
    const api = await createTestApi({ env: { TASKFLOW_PASSWORD_MIN_SCORE: '0' } })
    const res = await api.call('POST', '/api/v1/auth/register', {
      body: { email: 'ray@example.org', password: '12345678', name: 'Ray' },
    })
    expect(res.status).toBe(201)
  })
})

describe('password reset', () => {
  const tokenFrom = (text: string) => /reset-password\?token=([A-Za-z0-9_-]{43})/.exec(text)![1]!

  it('resets through the e-mailed link once, and signs out every session', async () => {
    const api = await createTestApi({ env: { TASKFLOW_PUBLIC_URL: 'https://tf.example/' } })
    const { token: session } = await signUp(api, 'ida@example.org')
    const req = await api.call('POST', '/api/v1/auth/password-reset/request', {
      body: { email: 'IDA@example.org' },
    })
    expect(req.status).toBe(202)
    const mail = await lastMailTo(api.db, 'ida@example.org')
    expect(mail.text).toContain('https://tf.example/reset-password?token=')
    const token = tokenFrom(mail.text)

    const confirm = await api.call('POST', '/api/v1/auth/password-reset/confirm', {
      body: { token, newPassword: 'brand new secret' },
    })
    expect(confirm.status).toBe(204)
    expect((await api.call('GET', '/api/v1/me', { token: session })).status).toBe(401)
    const login = await api.call('POST', '/api/v1/auth/login', {
      body: { email: 'ida@example.org', password: 'brand new secret' },
    })
    expect(login.status).toBe(200)

    const reuse = await api.call('POST', '/api/v1/auth/password-reset/confirm', {
      body: { token, newPassword: 'another secret 1' },
    })
    expect(reuse.status).toBe(400)
    expect(reuse.body.error.code).toBe('bad_request')
  })

  it('refuses an expired link', async () => {
    const api = await createTestApi({ env: { TASKFLOW_RESET_TTL_MINUTES: '30' } })
    await signUp(api, 'jo@example.org')
    await api.call('POST', '/api/v1/auth/password-reset/request', {
      body: { email: 'jo@example.org' },
    })
    const token = tokenFrom((await lastMailTo(api.db, 'jo@example.org')).text)
    api.advance(30 * 60_000 + 1)
    const res = await api.call('POST', '/api/v1/auth/password-reset/confirm', {
      body: { token, newPassword: 'brand new secret' },
    })
    expect(res.status).toBe(400)
  })

  it('answers the same for unknown e-mails and sends nothing', async () => {
    const api = await createTestApi()
    await signUp(api, 'ke@example.org')
    const known = await api.call('POST', '/api/v1/auth/password-reset/request', {
      body: { email: 'ke@example.org' },
    })
    const unknown = await api.call('POST', '/api/v1/auth/password-reset/request', {
      body: { email: 'nobody@example.org' },
    })
    expect(unknown.status).toBe(known.status)
    expect(unknown.body).toEqual(known.body)
    const rows = await api.db.selectFrom('mail_outbox').select('to_address').execute()
    expect(rows.map((r) => r.to_address)).toEqual(['ke@example.org'])
  })
})

describe('rate limits', () => {
  const loginFrom = (api: TestApi, email: string, password: string, ip: string) =>
    api.call('POST', '/api/v1/auth/login', {
      body: { email, password },
      headers: { 'x-forwarded-for': ip },
    })

  it('an address guessing one account waits after 5 failures, doubling each time, even with the right password', async () => {
    const api = await createTestApi({ env: { TASKFLOW_TRUST_PROXY: '1' } })
    await signUp(api, 'li@example.org')
    const attacker = '203.0.113.9'
    for (let i = 0; i < 5; i++) {
      expect((await loginFrom(api, 'li@example.org', `guess ${i}`, attacker)).status).toBe(401)
    }
    for (const wait of [30, 60, 120, 240]) {
      const guess = await loginFrom(api, 'li@example.org', 'another guess', attacker)
      const right = await loginFrom(api, 'li@example.org', PW, attacker)
      // Refused before the password is checked: the right one gets the very same answer.
      for (const res of [guess, right]) {
        expect(res.status).toBe(429)
        expect(res.body.error.code).toBe('rate_limited')
        expect(res.headers.get('retry-after')).toBe(String(wait))
      }
      expect(right.body).toEqual(guess.body)
      api.advance(wait * 1000 - 1000)
      expect(
        (await loginFrom(api, 'li@example.org', PW, attacker)).headers.get('retry-after'),
      ).toBe('1')
      api.advance(1000)
      expect((await loginFrom(api, 'li@example.org', 'yet another', attacker)).status).toBe(401)
    }
    // After its wait, the right password gets in and clears the address's failures.
    api.advance(480_000)
    expect((await loginFrom(api, 'li@example.org', PW, attacker)).status).toBe(200)
    expect((await loginFrom(api, 'li@example.org', 'typo', attacker)).status).toBe(401)
  })

  it('throttles guesses at an unknown e-mail exactly like a real account', async () => {
    const api = await createTestApi({ env: { TASKFLOW_TRUST_PROXY: '1' } })
    await signUp(api, 'mo@example.org')
    const answers = async (email: string) => {
      const out: unknown[] = []
      for (let i = 0; i < 7; i++) {
        const res = await loginFrom(api, email, 'not it at all', '203.0.113.10')
        out.push([res.status, res.headers.get('retry-after'), res.body])
      }
      return out
    }
    expect(await answers('nobody@example.org')).toEqual(await answers('mo@example.org'))
  })

  it('the owner signs in from their own address while attackers hammer the account from many', async () => {
    const api = await createTestApi({ env: { TASKFLOW_TRUST_PROXY: '1' } })
    await signUp(api, 'ola@example.org')
    // Owner mistyped once from home before the attack.
    expect((await loginFrom(api, 'ola@example.org', 'typo', '198.51.100.1')).status).toBe(401)
    // 25 addresses guess once each (past the account's ceiling of 20 failures in 15 min) ...
    for (let i = 0; i < 25; i++) {
      expect((await loginFrom(api, 'ola@example.org', `guess ${i}`, `203.0.113.${i}`)).status).toBe(
        401,
      )
    }
    // ... and each of them must now wait after that single failure, not after five.
    const again = await loginFrom(api, 'ola@example.org', 'guess again', '203.0.113.3')
    expect(again.status).toBe(429)
    expect(again.headers.get('retry-after')).toBe('30')
    // A new attacker address gets one guess, then waits too.
    expect((await loginFrom(api, 'ola@example.org', 'fresh guess', '203.0.113.200')).status).toBe(
      401,
    )
    expect((await loginFrom(api, 'ola@example.org', 'fresh guess 2', '203.0.113.200')).status).toBe(
      429,
    )

    // The owner from the office, an address that never failed: straight in.
    expect((await loginFrom(api, 'ola@example.org', PW, '192.0.2.50')).status).toBe(200)
    // From home (one earlier typo) the owner waits the base delay, then gets in.
    const home = await loginFrom(api, 'ola@example.org', PW, '198.51.100.1')
    expect(home.status).toBe(429)
    expect(home.headers.get('retry-after')).toBe('30')
    api.advance(30_000)
    expect((await loginFrom(api, 'ola@example.org', PW, '198.51.100.1')).status).toBe(200)
  })

  it('password changes share the throttle: a stolen session cannot guess the current password fast', async () => {
    const api = await createTestApi({ env: { TASKFLOW_TRUST_PROXY: '1' } })
    const { token } = await signUp(api, 'pat@example.org')
    const change = (currentPassword: string) =>
      api.call('POST', '/api/v1/me/password', {
        token,
        body: { currentPassword, newPassword: 'a whole new secret' },
        headers: { 'x-forwarded-for': '203.0.113.66' },
      })
    for (let i = 0; i < 5; i++) expect((await change(`guess ${i}`)).status).toBe(403)
    const refused = await change(PW)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('30')
    // The owner elsewhere is not affected.
    expect((await loginFrom(api, 'pat@example.org', PW, '192.0.2.7')).status).toBe(200)
  })

  it('limits logins per IP across accounts', async () => {
    const api = await createTestApi()
    let last = 0
    for (let i = 0; i < 31; i++) {
      last = (
        await api.call('POST', '/api/v1/auth/login', {
          body: { email: `u${i}@example.org`, password: 'whatever1' },
        })
      ).status
    }
    expect(last).toBe(429)
  })

  it('limits reset requests per account, without revealing whether it exists', async () => {
    const api = await createTestApi({ env: { TASKFLOW_TRUST_PROXY: '1' } })
    for (const email of ['ma@example.org', 'nobody@example.org']) {
      if (email.startsWith('ma')) await signUp(api, email)
      const statuses: number[] = []
      for (let i = 0; i < 4; i++) {
        const res = await api.call('POST', '/api/v1/auth/password-reset/request', {
          body: { email },
          headers: { 'x-forwarded-for': `10.1.0.${i}` },
        })
        statuses.push(res.status)
      }
      expect(statuses).toEqual([202, 202, 202, 429])
    }
  })
})

describe('logs', () => {
  it('never contain session, reset or invitation tokens', async () => {
    const logs: string[] = []
    const api = await createTestApi({ logs })
    const { token } = await signUp(api, 'ned@example.org')
    await api.call('POST', '/api/v1/auth/password-reset/request', {
      body: { email: 'ned@example.org' },
    })
    const project = await api.call('POST', '/api/v1/projects', { token, body: { name: 'P' } })
    await api.call('POST', `/api/v1/projects/${project.body.id}/members`, {
      token,
      body: { email: 'new@example.org', role: 'member' },
    })
    const mails = await api.db.selectFrom('mail_outbox').select('text').execute()
    const secrets = [token, ...mails.flatMap((m) => m.text.match(/[A-Za-z0-9_-]{43}/g) ?? [])]
    expect(secrets.length).toBeGreaterThanOrEqual(3)
    expect(logs.length).toBeGreaterThan(0)
    for (const s of secrets) expect(logs.join('\n')).not.toContain(s)
  })
})
