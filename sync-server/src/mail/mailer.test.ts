import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { parseConfig } from '../config.js'
import { openDatabase } from '../db/database.js'
import { migrateToLatest } from '../db/migrate.js'
import { createLogger } from '../logger.js'
import { createMailer } from './mailer.js'

const T0 = Date.UTC(2026, 10, 26, 12)

async function setup(env: Record<string, string> = {}) {
  const { db } = openDatabase(':memory:')
  await migrateToLatest(db)
  const logs: string[] = []
  const logger = createLogger('debug', (line) => logs.push(line) > 0)
  const mailer = createMailer(parseConfig({ NODE_ENV: 'test', ...env }), db, logger, () => T0)
  return { db, logs, mailer }
}

const MESSAGE = {
  to: 'ann@example.org',
  subject: 'Hello',
  text: 'secret link https://x/reset-password?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
}

describe('mailer', () => {
  it('without SMTP_URL writes to the outbox and logs the row, not the body', async () => {
    const { db, logs, mailer } = await setup()
    await mailer.send(MESSAGE)
    const rows = await db.selectFrom('mail_outbox').selectAll().execute()
    expect(rows).toEqual([
      expect.objectContaining({ to_address: 'ann@example.org', text: MESSAGE.text }),
    ])
    expect(logs.join('')).toContain('mail written to outbox')
    expect(logs.join('')).not.toContain('token=')
  })

  it('keeps every subject on one line, whatever names it was built from', async () => {
    const { db, mailer } = await setup()
    await mailer.send({ ...MESSAGE, subject: 'You were added to P\r\nBcc: evil@example.org\u202E' })
    const row = await db.selectFrom('mail_outbox').select('subject').executeTakeFirstOrThrow()
    expect(row.subject).toBe('You were added to P Bcc: evil@example.org')
  })

  it('with SMTP_URL delivers over SMTP in the background and never throws', async () => {
    // A server that accepts and hangs up: delivery fails, which is logged, not thrown.
    const server = createServer((socket) => socket.destroy())
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as { port: number }).port
    try {
      const { db, logs, mailer } = await setup({ SMTP_URL: `smtp://127.0.0.1:${port}` })
      await expect(mailer.send(MESSAGE)).resolves.toBeUndefined()
      const deadline = performance.now() + 10_000
      while (!logs.some((l) => l.includes('sending mail failed')) && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20))
      }
      expect(logs.some((l) => l.includes('sending mail failed'))).toBe(true)
      expect(logs.join('')).not.toContain('token=')
      expect(await db.selectFrom('mail_outbox').selectAll().execute()).toEqual([])
    } finally {
      server.close()
    }
  })
})
