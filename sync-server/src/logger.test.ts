import { createTask, getBoardView } from '@taskflow/board'
import SQLite from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { parseConfig } from './config.js'
import { openDatabase } from './db/database.js'
import { createLogger, redactUrl } from './logger.js'
import { UnsubscribeTokens } from './notifications/unsubscribe-tokens.js'
import { startServer } from './server.js'
import { closeOf, connectProvider, tempDir, waitFor, waitSynced } from './sync/sync-test-utils.js'
import { clockAt, ok, T0 } from './test/collab.js'

function captured() {
  const lines: string[] = []
  const logger = createLogger(
    'debug',
    (line) => {
      lines.push(line)
      return true
    },
    () => T0,
  )
  return { lines, logger, parsed: () => lines.map((l) => JSON.parse(l)) }
}

describe('logger redaction', () => {
  it('redacts secret-looking fields at any depth and tokens inside URLs, paths and headers', () => {
    const { lines, logger } = captured()
    logger.info('login', {
      password: 'hunter2-hunter2',
      nested: { sessionToken: 'abc123secret', list: [{ Authorization: 'Bearer zzz999' }] },
      url: '/sync/p1?token=tok-in-query&x=1',
      link: 'https://tf.example/invitations/inv-token-1?ref=mail',
      reset: 'https://tf.example/reset-password?token=reset-token-1',
      header: 'Bearer hdr-token-1',
    })
    const line = lines.join('')
    for (const secret of [
      'hunter2-hunter2',
      'abc123secret',
      'zzz999',
      'tok-in-query',
      'inv-token-1',
      'reset-token-1',
      'hdr-token-1',
    ])
      expect(line).not.toContain(secret)
    expect(JSON.parse(line).url).toBe('/sync/p1?token=[redacted]&x=1')
  })

  it('keeps the invitation lookup route and ordinary paths readable', () => {
    expect(redactUrl('/api/v1/invitations/lookup')).toBe('/api/v1/invitations/lookup')
    expect(redactUrl('/api/v1/projects/p1/members')).toBe('/api/v1/projects/p1/members')
  })
})

describe('logs of a realistic flow', () => {
  it('never contain a token, password or link secret the flow issued, even at debug', async () => {
    const dir = tempDir()
    const dbFile = `${dir}/taskflow.db`
    const clock = clockAt(T0)
    const { lines, logger, parsed } = captured()
    const config = parseConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      TASKFLOW_DB: dbFile,
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug',
      TASKFLOW_METRICS: '1',
      TASKFLOW_METRICS_TOKEN: 'metrics-scrape-token-0123',
      TASKFLOW_PASSWORD_MIN_SCORE: '0',
    })
    const server = await startServer(config, logger, { now: clock.now })
    const secrets: string[] = ['metrics-scrape-token-0123']
    try {
      const call = async (method: string, path: string, token?: string, body?: unknown) => {
        const res = await fetch(`${server.url}${path}`, {
          method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            cookie: 'tf_session=cookie-secret-value',
          },
          body: body !== undefined ? JSON.stringify(body) : undefined,
        })
        const text = await res.text()
        const isJson = res.headers.get('content-type')?.includes('json')
        return { status: res.status, body: text && isJson ? JSON.parse(text) : text }
      }
      secrets.push('cookie-secret-value')
      const outbox = () =>
        new SQLite(dbFile, { readonly: true })
          .prepare<[], { text: string }>('SELECT text FROM mail_outbox ORDER BY id')
          .all()
          .map((r) => r.text)

      const password = 'ann password one'
      secrets.push(password)
      const reg = await call('POST', '/api/v1/auth/register', undefined, {
        email: 'ann@example.com',
        password,
        name: 'Ann',
      })
      expect(reg.status).toBe(201)
      secrets.push(reg.body.token)
      const login = await call('POST', '/api/v1/auth/login', undefined, {
        email: 'ann@example.com',
        password,
      })
      expect(login.status).toBe(200)
      const token: string = login.body.token
      secrets.push(token)
      const wrong = await call('POST', '/api/v1/auth/login', undefined, {
        email: 'ann@example.com',
        password: 'a wrong password here',
      })
      expect(wrong.status).toBe(401)
      secrets.push('a wrong password here')

      const project = await call('POST', '/api/v1/projects', token, { name: 'Launch' })
      expect(project.status).toBe(201)
      const projectId: string = project.body.id

      // Invitation: the link's token is in the outbox mail only.
      const invited = await call('POST', `/api/v1/projects/${projectId}/members`, token, {
        email: 'newcomer@example.com',
        role: 'member',
      })
      expect(invited.status).toBe(201)
      const inviteToken = /\/invitations\/([\w-]+)/.exec(outbox().at(-1)!)![1]!
      secrets.push(inviteToken)
      await call('POST', '/api/v1/invitations/lookup', undefined, { token: inviteToken })
      await call('GET', `/invitations/${inviteToken}`) // the app's link, as a browser opens it

      // Password reset request; the link is opened and confirmed.
      await call('POST', '/api/v1/auth/password-reset/request', undefined, {
        email: 'ann@example.com',
      })
      const resetToken = /reset-password\?token=([\w-]+)/.exec(outbox().at(-1)!)![1]!
      secrets.push(resetToken)
      await call('GET', `/reset-password?token=${resetToken}`)
      const newPassword = 'ann password two'
      secrets.push(newPassword)
      const reset = await call('POST', '/api/v1/auth/password-reset/confirm', undefined, {
        token: resetToken,
        newPassword,
      })
      expect(reset.status).toBeLessThan(300)
      const relogin = await call('POST', '/api/v1/auth/login', undefined, {
        email: 'ann@example.com',
        password: newPassword,
      })
      const token2: string = relogin.body.token
      secrets.push(token2)

      // Unsubscribe link, as a notification mail carries it (signed with the server's key).
      const { db } = openDatabase(dbFile)
      const unsubscribe = await new UnsubscribeTokens(db).create({
        userId: reg.body.user.id,
        scope: 'all',
        version: 0,
      })
      await db.destroy()
      secrets.push(unsubscribe)
      await call('GET', `/api/v1/notifications/unsubscribe?token=${unsubscribe}`)
      await call('POST', `/api/v1/notifications/unsubscribe?token=${unsubscribe}`)
      // A token in the query of an API route: refused, never echoed into the log.
      await call('GET', `/api/v1/projects?token=${token2}`)
      await call('GET', '/metrics', 'metrics-scrape-token-0123')

      // Sync with ?token=, an edit, and a socket with a stolen-looking bad token.
      const provider = connectProvider(
        { syncUrl: `ws://127.0.0.1:${server.port}/sync` },
        projectId,
        { token: token2 },
      )
      await waitSynced(provider)
      await waitFor(() => getBoardView(provider.doc).columns.length > 0, 'board columns')
      const todo = getBoardView(provider.doc).columns[0]!.id
      ok(createTask(provider.doc, { columnId: todo, title: 'Ship' }, { userId: reg.body.user.id }))
      const badToken = 'not-a-session-but-secret-looking'
      secrets.push(badToken)
      const bad = new WebSocket(`ws://127.0.0.1:${server.port}/sync/${projectId}?token=${badToken}`)
      await closeOf(bad)
      await call('POST', '/api/v1/auth/logout', token2)
      await server.idle()
      provider.destroy()
    } finally {
      await server.close()
    }

    const all = lines.join('')
    for (const secret of secrets) expect(all, `a log line holds ${secret}`).not.toContain(secret)

    // What the log does hold: one access line per request, each with its id; sync lines
    // name their connection.
    const entries = parsed()
    const access = entries.filter((e) => e.msg === 'http request')
    expect(access.length).toBeGreaterThanOrEqual(15)
    for (const e of access) {
      expect(e.requestId).toMatch(/^[\w-]{8,}$/)
      expect(e.route).not.toContain('?')
    }
    expect(new Set(access.map((e) => e.requestId)).size).toBe(access.length)
    const syncLines = entries.filter((e) => /^sync /.test(e.msg))
    expect(syncLines.length).toBeGreaterThan(0)
    for (const e of syncLines) expect(e.conn).toMatch(/^c\w+$/)
  })
})
