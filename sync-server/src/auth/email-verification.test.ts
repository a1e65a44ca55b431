import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../db/database.js'
import { migrateTo, migrateToLatest } from '../db/migrate.js'
import {
  createTestApi,
  lastMailTo,
  signUp,
  type TestApi,
  verificationToken,
} from '../test/test-api.js'

/**
 * Issue 19: verified accounts without enumeration. Registration, resend and reset answer
 * the same whether or not an address has an account; an account signs in only after its
 * address is proven; pending invitations join only then.
 */

const PW = 'correct horse battery'
/** Verification as with SMTP_URL set (TASKFLOW_EMAIL_VERIFICATION=auto), with no mail server. */
const REQUIRED = { TASKFLOW_EMAIL_VERIFICATION: 'required' }
const HOUR = 3_600_000

/** An instance whose first account (signed in at once, the admin) already exists. */
async function instance(env: Record<string, string> = {}) {
  const api = await createTestApi({
    env: { TASKFLOW_PUBLIC_URL: 'https://tf.example', ...REQUIRED, ...env },
  })
  const admin = await signUp(api, 'admin@example.org')
  return { api, admin }
}

const register = (api: TestApi, email: string, password = PW, extra: object = {}) =>
  api.call('POST', '/api/v1/auth/register', {
    body: { email, password, name: email.split('@')[0], ...extra },
  })
const login = (api: TestApi, email: string, password = PW) =>
  api.call('POST', '/api/v1/auth/login', { body: { email, password } })
const verify = (api: TestApi, token: string) =>
  api.call('POST', '/api/v1/auth/verify-email', { body: { token } })
const mailCount = async (api: TestApi, to: string) =>
  (await api.db.selectFrom('mail_outbox').select('id').where('to_address', '=', to).execute())
    .length

describe('registration without enumeration', () => {
  it('signs the instance’s first account in at once', async () => {
    const api = await createTestApi({ env: REQUIRED })
    const first = await register(api, 'first@example.org')
    expect(first.status).toBe(201)
    expect(first.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('answers a known and a new address with the same status and body, and changes nothing of the known one', async () => {
    const { api } = await instance()
    await signUp(api, 'bo@example.org')
    const known = await register(api, 'bo@example.org', 'an entirely new password')
    const fresh = await register(api, 'new@example.org', 'an entirely new password')
    expect(known.status).toBe(202)
    expect(fresh.status).toBe(202)
    expect(known.body).toEqual({ status: 'verification_sent' })
    expect(fresh.body).toEqual(known.body)
    expect([...known.headers.keys()].sort()).toEqual([...fresh.headers.keys()].sort())
    // The owner of the known address hears of it; their password is unchanged.
    const note = await lastMailTo(api.db, 'bo@example.org')
    expect(note.subject).toBe('Someone tried to sign up to TaskFlow with your address')
    expect(note.text).toContain('https://tf.example/login')
    expect(note.text).toContain('https://tf.example/forgot-password')
    expect(note.text).not.toMatch(/verify-email/)
    expect((await login(api, 'bo@example.org')).status).toBe(200)
    expect((await login(api, 'bo@example.org', 'an entirely new password')).status).toBe(401)
    // The new address gets a link instead.
    expect((await lastMailTo(api.db, 'new@example.org')).text).toMatch(
      /https:\/\/tf\.example\/verify-email\/[A-Za-z0-9_-]{43}/,
    )
  })

  it('stores verification links only as hashes', async () => {
    const { api } = await instance()
    await register(api, 'cy@example.org')
    const token = verificationToken((await lastMailTo(api.db, 'cy@example.org')).text)
    const rows = await api.db.selectFrom('email_verifications').selectAll().execute()
    expect(rows).toHaveLength(1)
    expect(JSON.stringify(rows)).not.toContain(token)
  })
})

describe('unverified accounts', () => {
  it('cannot sign in: the right password hears "verify first", a wrong one the usual answer', async () => {
    const { api } = await instance()
    await register(api, 'dee@example.org')
    const right = await login(api, 'dee@example.org')
    expect(right.status).toBe(403)
    expect(right.body.error.code).toBe('email_unverified')
    const wrong = await login(api, 'dee@example.org', 'not the password')
    const unknown = await login(api, 'nobody@example.org', 'not the password')
    expect(wrong.status).toBe(401)
    expect(wrong.body).toEqual(unknown.body)
  })

  it('are verified by the link once: it signs in, and a second use is refused', async () => {
    const { api } = await instance()
    await register(api, 'eve@example.org')
    const token = verificationToken((await lastMailTo(api.db, 'eve@example.org')).text)
    const first = await verify(api, token)
    expect(first.status).toBe(200)
    expect(first.body.user.email).toBe('eve@example.org')
    expect(first.body.joinedProjectIds).toEqual([])
    expect((await api.call('GET', '/api/v1/me', { token: first.body.token })).status).toBe(200)
    expect((await login(api, 'eve@example.org')).status).toBe(200)
    const again = await verify(api, token)
    expect(again.status).toBe(410)
    expect(again.body.error.code).toBe('gone')
    const unknown = await verify(api, 'A'.repeat(43))
    expect(unknown.status).toBe(404)
  })

  it('refuse an expired link; a resent one works', async () => {
    const { api } = await instance({ TASKFLOW_VERIFY_TTL_HOURS: '24' })
    await register(api, 'fay@example.org')
    const old = verificationToken((await lastMailTo(api.db, 'fay@example.org')).text)
    api.advance(24 * HOUR)
    const expired = await verify(api, old)
    expect(expired.status).toBe(410)
    expect((await login(api, 'fay@example.org')).status).toBe(403)
    const resend = await api.call('POST', '/api/v1/auth/verify-email/resend', {
      body: { email: 'fay@example.org' },
    })
    expect(resend.status).toBe(202)
    const fresh = verificationToken((await lastMailTo(api.db, 'fay@example.org')).text)
    expect(fresh).not.toBe(old)
    expect((await verify(api, fresh)).status).toBe(200)
  })

  it('take the newest registration’s password, so a stranger who typed the address first does not own it', async () => {
    const { api } = await instance()
    await register(api, 'gil@example.org', 'stranger chose this one')
    await register(api, 'gil@example.org', 'the owner chose this one')
    const token = verificationToken((await lastMailTo(api.db, 'gil@example.org')).text)
    expect((await verify(api, token)).status).toBe(200)
    expect((await login(api, 'gil@example.org', 'stranger chose this one')).status).toBe(401)
    expect((await login(api, 'gil@example.org', 'the owner chose this one')).status).toBe(200)
  })

  it('are verified by a password reset (the reset link reached the address too)', async () => {
    const { api } = await instance()
    await register(api, 'hal@example.org')
    await api.call('POST', '/api/v1/auth/password-reset/request', {
      body: { email: 'hal@example.org' },
    })
    const reset = /reset-password\?token=([A-Za-z0-9_-]{43})/.exec(
      (await lastMailTo(api.db, 'hal@example.org')).text,
    )![1]!
    const done = await api.call('POST', '/api/v1/auth/password-reset/confirm', {
      body: { token: reset, newPassword: 'a brand new password' },
    })
    expect(done.status).toBe(204)
    expect((await login(api, 'hal@example.org', 'a brand new password')).status).toBe(200)
  })
})

describe('resending the link', () => {
  it('answers the same for an unknown, a verified and an unverified address; only the unverified one gets mail', async () => {
    const { api } = await instance()
    await signUp(api, 'ivy@example.org')
    await register(api, 'jay@example.org')
    const before = {
      ivy: await mailCount(api, 'ivy@example.org'),
      jay: await mailCount(api, 'jay@example.org'),
    }
    const answers = []
    for (const email of ['nobody@example.org', 'ivy@example.org', 'jay@example.org']) {
      const r = await api.call('POST', '/api/v1/auth/verify-email/resend', { body: { email } })
      answers.push({ status: r.status, body: r.body })
    }
    expect(answers[0]).toEqual({ status: 202, body: { status: 'requested' } })
    expect(answers[1]).toEqual(answers[0])
    expect(answers[2]).toEqual(answers[0])
    expect(await mailCount(api, 'nobody@example.org')).toBe(0)
    expect(await mailCount(api, 'ivy@example.org')).toBe(before.ivy)
    expect(await mailCount(api, 'jay@example.org')).toBe(before.jay + 1)
  })
})

describe('invitations and verification', () => {
  async function invite(api: TestApi, token: string, email: string) {
    const project = await api.call('POST', '/api/v1/projects', { token, body: { name: 'Launch' } })
    const r = await api.call('POST', `/api/v1/projects/${project.body.id}/members`, {
      token,
      body: { email, role: 'member' },
    })
    return { projectId: project.body.id as string, status: r.body.status as string }
  }
  const memberIds = async (api: TestApi, projectId: string, token: string) =>
    (await api.call('GET', `/api/v1/projects/${projectId}/members`, { token })).body.members.map(
      (m: { email: string }) => m.email,
    )

  it('joins pending invitations to the address only once it is verified', async () => {
    const { api, admin } = await instance()
    const { projectId } = await invite(api, admin.token, 'kim@example.org')
    // Kim signs up on her own, without the invitation link.
    expect((await register(api, 'kim@example.org')).status).toBe(202)
    expect(await memberIds(api, projectId, admin.token)).not.toContain('kim@example.org')
    const pending = await api.call('GET', `/api/v1/projects/${projectId}/members`, {
      token: admin.token,
    })
    expect(pending.body.invitations).toHaveLength(1)

    const token = verificationToken((await lastMailTo(api.db, 'kim@example.org')).text)
    const verified = await verify(api, token)
    expect(verified.status).toBe(200)
    expect(verified.body.joinedProjectIds).toEqual([projectId])
    expect(await memberIds(api, projectId, admin.token)).toContain('kim@example.org')
  })

  it('invites an unverified account rather than adding it', async () => {
    const { api, admin } = await instance()
    await register(api, 'lou@example.org')
    const { projectId, status } = await invite(api, admin.token, 'lou@example.org')
    expect(status).toBe('invited')
    expect(await memberIds(api, projectId, admin.token)).not.toContain('lou@example.org')
  })

  it('signs in at once with the invitation link of the same address (the link proved it)', async () => {
    const { api, admin } = await instance()
    const { projectId } = await invite(api, admin.token, 'max@example.org')
    const link = /invitations\/([A-Za-z0-9_-]{43})/.exec(
      (await lastMailTo(api.db, 'max@example.org')).text,
    )![1]!
    const r = await register(api, 'max@example.org', PW, { invitationToken: link })
    expect(r.status).toBe(201)
    expect(r.body.joinedProjectId).toBe(projectId)
    expect((await login(api, 'max@example.org')).status).toBe(200)
  })

  it('joins the invitation of a link used with another address once that address is verified', async () => {
    const { api, admin } = await instance({})
    await api.call('PUT', '/api/v1/admin/settings', {
      token: admin.token,
      body: { signup: 'invite_only' },
    })
    const { projectId } = await invite(api, admin.token, 'ned@work.example')
    const link = /invitations\/([A-Za-z0-9_-]{43})/.exec(
      (await lastMailTo(api.db, 'ned@work.example')).text,
    )![1]!
    const r = await register(api, 'ned@home.example', PW, { invitationToken: link })
    expect(r.status).toBe(202)
    expect(await memberIds(api, projectId, admin.token)).not.toContain('ned@home.example')
    const token = verificationToken((await lastMailTo(api.db, 'ned@home.example')).text)
    const verified = await verify(api, token)
    expect(verified.body.joinedProjectIds).toEqual([projectId])
  })

  it('sends the same answer for an invited address that already has an account, and signs nobody in', async () => {
    const { api, admin } = await instance()
    await invite(api, admin.token, 'oz@example.org')
    const link = /invitations\/([A-Za-z0-9_-]{43})/.exec(
      (await lastMailTo(api.db, 'oz@example.org')).text,
    )![1]!
    // Oz's account appeared meanwhile (as if by another route), the invitation still pending.
    const row = await api.db.selectFrom('users').selectAll().executeTakeFirstOrThrow()
    await api.db
      .insertInto('users')
      .values({ ...row, id: 'oz', email: 'oz@example.org', is_admin: 0 })
      .execute()
    const r = await register(api, 'oz@example.org', 'someone else entirely', {
      invitationToken: link,
    })
    expect(r.status).toBe(202)
    expect(r.body).toEqual({ status: 'verification_sent' })
    expect((await lastMailTo(api.db, 'oz@example.org')).subject).toMatch(/tried to sign up/)
  })
})

describe('existing databases', () => {
  it('the migration counts every existing account as verified', async () => {
    const { db } = openDatabase(':memory:')
    await migrateTo(db, '2026_12_04_160000_add_instance_administration')
    await sql`INSERT INTO users (id, email, password_hash, name, avatar_color, created_at, updated_at)
      VALUES ('u1', 'old@example.org', 'x', 'Old', '#123456', 1000, 2000)`.execute(db)
    await migrateToLatest(db)
    const row = await db.selectFrom('users').selectAll().executeTakeFirstOrThrow()
    expect(row.email_verified_at).toBe(1000)
  })
})

/**
 * Without a mail transport no link could arrive, so `auto` (the default) verifies nothing
 * unless SMTP_URL is set: sign-up answers 201 with a session and 409 for a known address, as
 * before issue 19 (ARCHITECTURE.md: register returns a session token).
 */
describe('with verification off', () => {
  const modes: [string, Record<string, string>][] = [
    ['the default (auto, no SMTP_URL)', {}],
    ['auto without SMTP_URL', { TASKFLOW_EMAIL_VERIFICATION: 'auto' }],
    ['off', { TASKFLOW_EMAIL_VERIFICATION: 'off' }],
  ]
  for (const [label, env] of modes) {
    it(`${label}: a second account gets 201 and a working session, a known address 409`, async () => {
      const api = await createTestApi({ env })
      await signUp(api, 'admin@example.org')
      const r = await register(api, 'nia@example.org')
      expect(r.status).toBe(201)
      expect(r.body.user.email).toBe('nia@example.org')
      const me = await api.call('GET', '/api/v1/me', { token: r.body.token })
      expect(me.status).toBe(200)
      expect(me.body.email).toBe('nia@example.org')
      expect(await mailCount(api, 'nia@example.org')).toBe(0)
      expect((await login(api, 'nia@example.org')).status).toBe(200)

      const again = await register(api, 'NIA@example.org', 'another long password')
      expect(again.status).toBe(409)
      expect(again.body.error.code).toBe('conflict')
      // Nothing of the account changed: its password is the first one.
      expect((await login(api, 'nia@example.org')).status).toBe(200)
      expect((await login(api, 'nia@example.org', 'another long password')).status).toBe(401)
    })
  }

  it('adds an existing account to a project at once, and sign-up alone joins no pending invitation', async () => {
    const api = await createTestApi({ env: { TASKFLOW_EMAIL_VERIFICATION: 'off' } })
    const admin = await signUp(api, 'admin@example.org')
    const project = await api.call('POST', '/api/v1/projects', {
      token: admin.token,
      body: { name: 'Launch' },
    })
    const members = `/api/v1/projects/${project.body.id}/members`
    const invite = (email: string) =>
      api.call('POST', members, { token: admin.token, body: { email, role: 'member' } })

    // Invited before the account exists: a typed address proves nothing, so it stays pending.
    expect((await invite('ola@example.org')).body.status).toBe('invited')
    expect((await register(api, 'ola@example.org')).status).toBe(201)
    const list = await api.call('GET', members, { token: admin.token })
    expect(list.body.members.map((m: { email: string }) => m.email)).not.toContain(
      'ola@example.org',
    )
    expect(list.body.invitations).toHaveLength(1)

    // An existing account is added directly, as before verified accounts.
    expect((await register(api, 'pia@example.org')).status).toBe(201)
    expect((await invite('pia@example.org')).body.status).toBe('added')
  })
})
