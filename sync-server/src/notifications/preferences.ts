import {
  EMAIL_MODES,
  type EmailMode,
  type Preferences,
  TRIGGERS,
  type Trigger,
} from '@taskflow/api'

import type { loadPreferences } from './notifications.repository.js'

// The triggers and modes are part of the REST contract (`@taskflow/api`).
export { EMAIL_MODES, type EmailMode, type Preferences, TRIGGERS, type Trigger }

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
