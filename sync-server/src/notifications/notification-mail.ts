import { stripUnsafeNameChars } from '@taskflow/board'
import type { MailMessage } from '../mail/mailer.js'
import { appPath } from './notifications.presenter.js'
import type { NotificationRow } from './notifications.repository.js'
import { type Trigger, triggerOf } from './preferences.js'

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * The notification's data with every name made one plain line: task titles and column
 * names come from board documents, which a client writing raw Yjs can fill with line
 * breaks or bidi overrides that the board operations would refuse.
 */
function namesOf(r: NotificationRow): Record<string, string | undefined> {
  const d = JSON.parse(r.data) as Record<string, unknown>
  const out: Record<string, string | undefined> = {}
  for (const [k, v] of Object.entries(d)) {
    if (typeof v === 'string') out[k] = k === 'excerpt' ? v : stripUnsafeNameChars(v) || undefined
  }
  return out
}

/**
 * RFC 2369 + RFC 8058 headers: mail clients show an unsubscribe button and send
 * `POST <url>` with body `List-Unsubscribe=One-Click`, which the link's POST handles.
 */
function listUnsubscribe(url: string): Record<string, string> {
  return { 'List-Unsubscribe': `<${url}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
}

/** One line naming the actor, task and project, e.g. `Bob assigned you to "Spec" in Launch`. */
export function describe(r: NotificationRow): string {
  const d = namesOf(r)
  const actor = d.actorName ?? 'Someone'
  const task = `"${d.taskTitle ?? 'a task'}"`
  const project = d.projectName ?? 'a project'
  switch (r.kind) {
    case 'assigned':
      return `${actor} assigned you to ${task} in ${project}`
    case 'mentioned':
      return `${actor} mentioned you on ${task} in ${project}`
    case 'comment':
      return `${actor} commented on ${task} in ${project}`
    case 'done':
      return `${actor} moved ${task} to ${d.columnName ?? 'done'} in ${project}`
    case 'due_soon':
      return `${task} in ${project} is due ${d.dueDate ?? 'soon'}`
    case 'overdue':
      return `${task} in ${project} is overdue (due ${d.dueDate ?? ''})`
    case 'added':
      return `${actor} added you to the project ${project}`
    default:
      return `Something happened in ${project}`
  }
}

function quote(r: NotificationRow): string | null {
  const d = JSON.parse(r.data) as { excerpt?: string }
  return d.excerpt ?? null
}

/** A plain-text + HTML mail for one notification, with a one-click unsubscribe link. */
export function immediateMail(
  to: string,
  r: NotificationRow,
  publicUrl: string,
  unsubscribeUrl: string,
): MailMessage {
  const line = describe(r)
  const url = `${publicUrl}${appPath(r.project_id, r.task_id)}`
  const q = quote(r)
  const trigger = triggerOf(r.kind)
  const text =
    `${line}.\n\n` +
    (q ? `> ${q.replace(/\n/g, '\n> ')}\n\n` : '') +
    `Open it: ${url}\n\n` +
    `--\nStop e-mails like this (${trigger}): ${unsubscribeUrl}\n`
  const html =
    `<p>${esc(line)}.</p>` +
    (q ? `<blockquote>${esc(q)}</blockquote>` : '') +
    `<p><a href="${esc(url)}">Open in TaskFlow</a></p>` +
    `<hr><p style="font-size:small"><a href="${esc(unsubscribeUrl)}">Stop e-mails like this (${esc(trigger)})</a></p>`
  return { to, subject: `[TaskFlow] ${line}`, text, html, headers: listUnsubscribe(unsubscribeUrl) }
}

/**
 * One daily mail listing several notifications; one unsubscribe link per trigger present,
 * and `unsubscribeAllUrl` (all notification e-mail) for the mail client's button.
 */
export function digestMail(
  to: string,
  rows: readonly NotificationRow[],
  publicUrl: string,
  unsubscribeUrls: ReadonlyMap<Trigger, string>,
  unsubscribeAllUrl: string,
): MailMessage {
  const items = rows.map((r) => ({
    line: describe(r),
    url: `${publicUrl}${appPath(r.project_id, r.task_id)}`,
  }))
  const unsub: [label: string, url: string][] = [
    ...[...unsubscribeUrls].map(([t, u]): [string, string] => [`Stop e-mails about ${t}`, u]),
    ['Stop all notification e-mail', unsubscribeAllUrl],
  ]
  const text =
    `Your TaskFlow digest: ${rows.length} notification${rows.length === 1 ? '' : 's'}.\n\n` +
    items.map((i) => `- ${i.line}\n  ${i.url}`).join('\n') +
    `\n\n--\n` +
    unsub.map(([label, u]) => `${label}: ${u}`).join('\n') +
    '\n'
  const html =
    `<p>Your TaskFlow digest: ${rows.length} notification${rows.length === 1 ? '' : 's'}.</p><ul>` +
    items.map((i) => `<li><a href="${esc(i.url)}">${esc(i.line)}</a></li>`).join('') +
    `</ul><hr><p style="font-size:small">` +
    unsub.map(([label, u]) => `<a href="${esc(u)}">${esc(label)}</a>`).join(' · ') +
    '</p>'
  return {
    to,
    subject: `[TaskFlow] Daily digest (${rows.length})`,
    text,
    html,
    headers: listUnsubscribe(unsubscribeAllUrl),
  }
}
