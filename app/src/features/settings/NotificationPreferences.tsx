import { useEffect, useState } from 'react'
import { errorMessage } from '../../api/client'
import {
  getPreferences,
  type Preferences,
  putPreferences,
  TRIGGERS,
  type Trigger,
} from '../../api/collab.api'
import { ErrorNote, Spinner } from '../../ui/primitives'

type Channels = Preferences['triggers'][Trigger]

const LABELS: Record<Trigger, string> = {
  assigned: 'Assigned to a task',
  mentioned: 'Mentioned',
  comment: 'Comments on tasks I watch',
  done: 'Watched task done',
  due: 'Due soon or overdue',
  added: 'Added to a project',
}

/** Each trigger × channel (in-app, e-mail), and e-mail immediately or as a daily digest. */
export function NotificationPreferences() {
  const [prefs, setPrefs] = useState<Preferences | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let cancelled = false
    getPreferences().then(
      (p) => !cancelled && setPrefs(p),
      (err) => !cancelled && setError(errorMessage(err)),
    )
    return () => {
      cancelled = true
    }
  }, [])

  const save = (patch: Parameters<typeof putPreferences>[0]) => {
    // Shown at once; the server's answer (the whole preferences) then replaces it.
    setPrefs((p) => {
      if (!p) return p
      const triggers = { ...p.triggers }
      const changes = Object.entries(patch.triggers ?? {}) as [Trigger, Partial<Channels>][]
      for (const [t, ch] of changes) {
        triggers[t] = { ...triggers[t], ...ch }
      }
      return { emailMode: patch.emailMode ?? p.emailMode, triggers }
    })
    putPreferences(patch).then(
      (p) => {
        setPrefs(p)
        setError(null)
      },
      (err) => {
        setError(errorMessage(err))
        // Back to what the server has.
        getPreferences().then(setPrefs, () => {})
      },
    )
  }

  return (
    <section
      className="space-y-3"
      aria-label="Notifications"
      data-testid="notification-preferences"
    >
      <h2 className="text-lg font-semibold">Notifications</h2>
      <ErrorNote message={error} />
      {!prefs ? (
        !error && <Spinner label="Loading preferences" />
      ) : (
        <>
          <table className="w-full text-sm">
            <thead>
              <tr className="text-left text-xs text-slate-500">
                <th className="py-1 font-medium">When</th>
                <th className="w-20 py-1 text-center font-medium">In app</th>
                <th className="w-20 py-1 text-center font-medium">E-mail</th>
              </tr>
            </thead>
            <tbody>
              {TRIGGERS.map((t) => {
                const ch = prefs.triggers[t] ?? { inApp: true, email: true }
                return (
                  <tr key={t} className="border-t border-slate-200 dark:border-slate-800">
                    <td className="py-2">{LABELS[t]}</td>
                    {(['inApp', 'email'] as const).map((c) => (
                      <td key={c} className="text-center">
                        <input
                          type="checkbox"
                          aria-label={`${LABELS[t]}: ${c === 'inApp' ? 'in app' : 'e-mail'}`}
                          checked={ch[c]}
                          onChange={(e) => save({ triggers: { [t]: { [c]: e.target.checked } } })}
                        />
                      </td>
                    ))}
                  </tr>
                )
              })}
            </tbody>
          </table>
          <fieldset className="space-y-1 text-sm">
            <legend className="text-xs font-medium text-slate-500">E-mail delivery</legend>
            {(
              [
                ['immediate', 'Right away'],
                ['digest', 'Once a day (digest)'],
              ] as const
            ).map(([mode, label]) => (
              <label key={mode} className="flex items-center gap-2">
                <input
                  type="radio"
                  name="emailMode"
                  checked={prefs.emailMode === mode}
                  onChange={() => save({ emailMode: mode })}
                />
                {label}
              </label>
            ))}
          </fieldset>
        </>
      )}
    </section>
  )
}
