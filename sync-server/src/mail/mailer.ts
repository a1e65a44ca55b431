import { stripUnsafeNameChars } from '@taskflow/board'
import nodemailer from 'nodemailer'
import type { Clock } from '../clock.js'
import type { Config } from '../config.js'
import { type Db, dialectOf } from '../db/database.js'
import type { Logger } from '../logger.js'
import type { MailMetrics } from '../metrics/metrics.js'

export interface MailMessage {
  to: string
  /** One line: mailers drop line breaks, controls and bidi overrides from it (header injection, spoofing). */
  subject: string
  text: string
  /** HTML alternative of `text` (notification mail). */
  html?: string
  /** Extra headers, e.g. `List-Unsubscribe` on notification mail. */
  headers?: Record<string, string>
}

export interface Mailer {
  /**
   * Hands a message off and resolves once it is durably queued (outbox row written, or
   * SMTP delivery started). Never rejects: delivery failures are logged, because callers
   * must answer the same whether or not mail went out (no account-existence oracle).
   */
  send(message: MailMessage): Promise<void>
}

/** SMTP via nodemailer when `SMTP_URL` is set, else the outbox table. */
export function createMailer(
  config: Config,
  db: Db,
  logger: Logger,
  now: Clock,
  metrics?: MailMetrics,
): Mailer {
  return config.SMTP_URL
    ? createSmtpMailer(config.SMTP_URL, config.TASKFLOW_MAIL_FROM, logger, metrics)
    : createOutboxMailer(db, logger, now, metrics)
}

/**
 * Writes mail to `mail_outbox` so a self-hoster without SMTP can still read links. The log
 * line names the row, never the body: bodies carry tokens, and tokens never go to logs.
 */
export function createOutboxMailer(
  db: Db,
  logger: Logger,
  now: Clock,
  metrics?: MailMetrics,
): Mailer {
  return {
    async send({ to, subject: rawSubject, text, html, headers }) {
      const subject = stripUnsafeNameChars(rawSubject)
      try {
        const row = await db
          .insertInto('mail_outbox')
          .values({
            to_address: to,
            subject,
            text,
            html: html ?? null,
            headers: headers ? JSON.stringify(headers) : null,
            created_at: now(),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        metrics?.mailSent()
        logger.info('mail written to outbox (no SMTP_URL set)', {
          outboxId: row.id,
          to,
          subject,
          read: `${dialectOf(db) === 'postgres' ? 'psql "$TASKFLOW_DATABASE_URL" -c' : 'sqlite3 <TASKFLOW_DB>'} "select text from mail_outbox where id = ${row.id}"`,
        })
      } catch (err) {
        metrics?.mailFailed()
        logger.error('writing mail to outbox failed', { to, subject, err: String(err) })
      }
    },
  }
}

/** Delivery runs in the background so a slow SMTP server does not show in response times. */
export function createSmtpMailer(
  url: string,
  from: string,
  logger: Logger,
  metrics?: MailMetrics,
): Mailer {
  const transport = nodemailer.createTransport(url)
  return {
    async send({ to, subject: rawSubject, text, html, headers }) {
      const subject = stripUnsafeNameChars(rawSubject)
      transport
        .sendMail({
          from,
          to,
          subject,
          text,
          ...(html ? { html } : {}),
          ...(headers ? { headers } : {}),
        })
        .then(
          () => {
            metrics?.mailSent()
            logger.info('mail sent', { to, subject })
          },
          (err: unknown) => {
            metrics?.mailFailed()
            logger.error('sending mail failed', { to, subject, err: String(err) })
          },
        )
    },
  }
}
