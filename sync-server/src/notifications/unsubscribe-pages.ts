import type { UnsubscribeOutcome } from './notifications.service.js'
import type { UnsubscribeScope } from './unsubscribe-tokens.js'

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** What the person stops hearing about, as a phrase after "e-mails about". */
const ABOUT: Record<UnsubscribeScope, string> = {
  assigned: 'tasks assigned to you',
  mentioned: 'mentions of you',
  comment: 'comments on tasks you follow',
  done: 'tasks you follow being done',
  due: 'due and overdue tasks',
  added: 'being added to projects',
  all: 'anything (every notification e-mail)',
}

/** Where preferences are managed in the app (served by the same server). */
const PROFILE = '/profile'

/**
 * The pages an unsubscribe link shows. Plain HTML without script (the CSP allows none); the
 * confirmation is a form whose POST does the work, so a scanner that follows links (GET)
 * changes nothing.
 */
export function unsubscribePage(
  outcome: UnsubscribeOutcome,
  postUrl: string,
): { status: 200 | 400 | 410; html: string } {
  switch (outcome.status) {
    case 'valid':
      return {
        status: 200,
        html: page(
          'Unsubscribe?',
          `<p>Stop e-mails about ${esc(ABOUT[outcome.scope])}?</p>` +
            `<form method="post" action="${esc(postUrl)}">` +
            '<input type="hidden" name="List-Unsubscribe" value="One-Click">' +
            '<button type="submit">Unsubscribe</button></form>' +
            `<p class="note">You keep seeing notifications in TaskFlow. Manage every choice in <a href="${PROFILE}">your profile</a>.</p>`,
        ),
      }
    case 'unsubscribed':
      return {
        status: 200,
        html: page(
          'Unsubscribed',
          `<p>You will no longer get e-mails about ${esc(ABOUT[outcome.scope])}.</p>` +
            `<p class="note">Changed your mind? Turn them back on in <a href="${PROFILE}">your profile</a>.</p>`,
        ),
      }
    case 'already':
      return {
        status: 200,
        html: page(
          'Already unsubscribed',
          `<p>You already get no e-mails about ${esc(ABOUT[outcome.scope])}.</p>` +
            `<p class="note">Manage every choice in <a href="${PROFILE}">your profile</a>.</p>`,
        ),
      }
    case 'stale':
      return {
        status: 410,
        html: page(
          'This link has expired',
          '<p>Your notification settings changed after this e-mail was sent, so its unsubscribe link no longer works. Nothing was changed.</p>' +
            `<p>Use the link in a newer e-mail, or choose what you get in <a href="${PROFILE}">your profile</a>.</p>`,
        ),
      }
    case 'invalid':
      return {
        status: 400,
        html: page(
          'Invalid unsubscribe link',
          '<p>This unsubscribe link is not valid (it may be incomplete or from an older e-mail). Nothing was changed.</p>' +
            `<p>Choose what you get in <a href="${PROFILE}">your profile</a>.</p>`,
        ),
      }
  }
}

function page(title: string, body: string): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<meta name="robots" content="noindex">' +
    `<title>${esc(title)} · TaskFlow</title>` +
    '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#0f172a}' +
    'button{font:inherit;padding:.5rem 1rem;border:0;border-radius:.375rem;background:#4f46e5;color:#fff;cursor:pointer}' +
    '.note{color:#475569;font-size:.875rem}</style></head>' +
    `<body><main><h1>${esc(title)}</h1>${body}</main></body></html>`
  )
}
