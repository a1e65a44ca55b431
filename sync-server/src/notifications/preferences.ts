import type { loadPreferences } from './notifications.repository.js'

/** What can notify someone. Also the `kind` of a notification (due: `due_soon` | `overdue`). */
export const TRIGGERS = ['assigned', 'mentioned', 'comment', 'done', 'due', 'added'] as const
export type Trigger = (typeof TRIGGERS)[number]
export const EMAIL_MODES = ['immediate', 'digest'] as const
export type EmailMode = (typeof EMAIL_MODES)[number]

export interface Preferences {
  emailMode: EmailMode
  triggers: Record<Trigger, { inApp: boolean; email: boolean }>
}

/** Everything on, e-mail at once: people hear about what concerns them unless they opt out. */
export function defaultPreferences(): Preferences {
  return {
    emailMode: 'immediate',
    triggers: Object.fromEntries(TRIGGERS.map((t) => [t, { inApp: true, email: true }])) as Record<
      Trigger,
      { inApp: boolean; email: boolean }
    >,
  }
}

export function resolvePreferences(
  stored: Awaited<ReturnType<typeof loadPreferences>>,
): Preferences {
  const p = defaultPreferences()
  for (const r of stored.rows) {
    if ((TRIGGERS as readonly string[]).includes(r.trigger)) {
      p.triggers[r.trigger as Trigger] = { inApp: r.in_app === 1, email: r.email === 1 }
    }
  }
  if (stored.settings) p.emailMode = stored.settings.email_mode
  return p
}

/** The version unsubscribe links must name to be honoured (0 until the first change). */
export function preferencesVersion(stored: Awaited<ReturnType<typeof loadPreferences>>): number {
  return stored.settings?.preferences_version ?? 0
}

/** The trigger a notification kind belongs to. */
export function triggerOf(kind: string): Trigger {
  return kind === 'due_soon' || kind === 'overdue' ? 'due' : (kind as Trigger)
}
