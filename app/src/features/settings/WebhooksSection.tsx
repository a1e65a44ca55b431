import { type Delivery, WEBHOOK_EVENTS, type Webhook } from '@taskflow/api'
import { type FormEvent, useCallback, useEffect, useState } from 'react'
import { errorMessage } from '../../api/client'
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  redeliver,
  rotateWebhookSecret,
  updateWebhook,
} from '../../api/webhooks.api'
import { Button, ErrorNote, Input } from '../../ui/primitives'
import { When } from '../../ui/When'

/**
 * A project's webhooks (admins and owners): add one with its events, see its secret once,
 * turn it off and on, rotate the secret, delete it, and read its deliveries (redeliver).
 */
export function WebhooksSection({ projectId }: { projectId: string }) {
  const [hooks, setHooks] = useState<Webhook[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  /** A secret just created or rotated: shown once, with the webhook it belongs to. */
  const [secret, setSecret] = useState<{ hookId: string; value: string } | null>(null)
  const [open, setOpen] = useState<string | null>(null)

  const reload = useCallback(() => {
    listWebhooks(projectId).then(setHooks, (err) => setError(errorMessage(err)))
  }, [projectId])
  useEffect(reload, [reload])

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    setError(null)
    try {
      await action()
      reload()
      return true
    } catch (err) {
      setError(errorMessage(err))
      return false
    }
  }

  async function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = e.currentTarget
    const data = new FormData(form)
    const events = WEBHOOK_EVENTS.filter((ev) => data.get(ev) === 'on')
    const ok = await run(async () => {
      const created = await createWebhook(projectId, {
        url: String(data.get('url') ?? '').trim(),
        events,
        description: String(data.get('description') ?? '').trim() || undefined,
      })
      setSecret({ hookId: created.id, value: created.secret })
    })
    if (ok) form.reset()
  }

  return (
    <section aria-label="Webhooks" className="space-y-3">
      <h2 className="text-lg font-semibold">Webhooks</h2>
      <p className="text-sm text-slate-500">
        Events of this project are POSTed to your endpoint, signed per Standard Webhooks.
      </p>
      <form onSubmit={onCreate} aria-label="Add webhook" className="space-y-2">
        <div className="flex flex-wrap gap-2">
          <Input
            name="url"
            type="url"
            required
            placeholder="https://example.com/taskflow-hook"
            aria-label="Webhook URL"
            className="min-w-48 flex-1"
          />
          <Input name="description" placeholder="Description" aria-label="Description" />
        </div>
        <fieldset className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          <legend className="sr-only">Events</legend>
          {WEBHOOK_EVENTS.map((ev) => (
            <label key={ev} className="inline-flex items-center gap-1">
              <input type="checkbox" name={ev} defaultChecked={ev.startsWith('task.')} />
              <code>{ev}</code>
            </label>
          ))}
        </fieldset>
        <Button type="submit">Add webhook</Button>
      </form>
      <ErrorNote message={error} />
      {secret && (
        <div
          role="status"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:bg-amber-950"
        >
          <p>Signing secret — copy it now, it is not shown again:</p>
          <code data-testid="webhook-secret" className="break-all font-mono">
            {secret.value}
          </code>
          <div>
            <Button variant="ghost" size="sm" onClick={() => setSecret(null)}>
              Done
            </Button>
          </div>
        </div>
      )}
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
        {hooks?.length === 0 && <li className="p-3 text-sm text-slate-500">No webhooks yet.</li>}
        {hooks?.map((h) => (
          <li key={h.id} className="space-y-2 p-3" data-testid="webhook-row">
            <div className="flex flex-wrap items-center gap-2">
              <div className="min-w-0 flex-1">
                <p className="truncate font-mono text-sm">{h.url}</p>
                <p className="text-xs text-slate-500">
                  {h.description && `${h.description} · `}
                  {h.events.join(', ')}
                  {!h.enabled && ` · off${h.disabledReason ? `: ${h.disabledReason}` : ''}`}
                </p>
              </div>
              <Button
                variant="ghost"
                size="sm"
                onClick={() => run(() => updateWebhook(projectId, h.id, { enabled: !h.enabled }))}
              >
                {h.enabled ? 'Disable' : 'Enable'}
              </Button>
              <Button
                variant="ghost"
                size="sm"
                onClick={() =>
                  run(async () => {
                    const r = await rotateWebhookSecret(projectId, h.id)
                    setSecret({ hookId: h.id, value: r.secret })
                  })
                }
              >
                Rotate secret
              </Button>
              <Button
                variant="ghost"
                size="sm"
                onClick={() => setOpen(open === h.id ? null : h.id)}
                aria-expanded={open === h.id}
              >
                Deliveries
              </Button>
              <Button
                variant="ghost"
                size="sm"
                className="text-red-600"
                onClick={() => run(() => deleteWebhook(projectId, h.id))}
              >
                Delete
              </Button>
            </div>
            {open === h.id && <Deliveries projectId={projectId} hookId={h.id} onError={setError} />}
          </li>
        ))}
      </ul>
    </section>
  )
}

function Deliveries(props: { projectId: string; hookId: string; onError: (m: string) => void }) {
  const { projectId, hookId, onError } = props
  const [rows, setRows] = useState<Delivery[] | null>(null)
  const reload = useCallback(() => {
    listDeliveries(projectId, hookId).then(setRows, (err) => onError(errorMessage(err)))
  }, [projectId, hookId, onError])
  useEffect(reload, [reload])
  if (rows === null) return null
  return (
    <div className="space-y-1">
      <Button variant="ghost" size="sm" onClick={reload}>
        Refresh
      </Button>
      {rows.length === 0 && <p className="text-sm text-slate-500">No deliveries yet.</p>}
      <table className="w-full text-left text-xs">
        <tbody>
          {rows.map((d) => {
            const last = d.attempts.at(-1)
            return (
              <tr
                key={d.id}
                data-testid="delivery-row"
                className="border-t border-slate-100 dark:border-slate-800"
              >
                <td className="py-1 font-mono">{d.event}</td>
                <td>{d.status}</td>
                <td>
                  {d.attempts.length} {d.attempts.length === 1 ? 'try' : 'tries'}
                  {last && ` · ${last.responseStatus ?? last.error ?? '—'} · ${last.durationMs} ms`}
                </td>
                <td>
                  {d.nextAttemptAt ? (
                    <>
                      next <When at={d.nextAttemptAt} />
                    </>
                  ) : (
                    <When at={d.createdAt} />
                  )}
                </td>
                <td className="text-right">
                  <Button
                    variant="ghost"
                    size="sm"
                    onClick={() =>
                      redeliver(projectId, hookId, d.id).then(reload, (err) =>
                        onError(errorMessage(err)),
                      )
                    }
                  >
                    Redeliver
                  </Button>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
