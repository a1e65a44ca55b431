import { useCallback, useEffect, useState } from 'react'
import {
  type AdminAccount,
  getInstanceHealth,
  getInstanceSettings,
  type InstanceHealth,
  listAccounts,
  putInstanceSettings,
  type SignupMode,
  sendTestEmail,
  setAccountDisabled,
} from '../../api/admin.api'
import { errorMessage } from '../../api/client'
import { useRequiredSession } from '../../auth/use-session'
import { Button, ErrorNote, Spinner } from '../../ui/primitives'
import { When } from '../../ui/When'

const SECTION = 'space-y-3 rounded-lg border border-slate-200 p-4 dark:border-slate-800'

/** Instance administration: accounts, sign-up, test e-mail and health (admins only). */
export function AdminPage() {
  const { user } = useRequiredSession()
  const [accounts, setAccounts] = useState<AdminAccount[] | null>(null)
  const [signup, setSignup] = useState<SignupMode | null>(null)
  const [health, setHealth] = useState<InstanceHealth | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [mailNote, setMailNote] = useState<string | null>(null)

  const run = useCallback(async (task: () => Promise<void>) => {
    setError(null)
    try {
      await task()
    } catch (err) {
      setError(errorMessage(err))
    }
  }, [])

  const load = useCallback(
    () =>
      run(async () => {
        const all: AdminAccount[] = []
        let after: string | undefined
        do {
          const page = await listAccounts(after)
          all.push(...page.accounts)
          after = page.nextAfter ?? undefined
        } while (after)
        setAccounts(all)
        setSignup((await getInstanceSettings()).signup)
        setHealth(await getInstanceHealth())
      }),
    [run],
  )

  useEffect(() => {
    void load()
  }, [load])

  const toggle = (a: AdminAccount) =>
    run(async () => {
      const next = await setAccountDisabled(a.id, !a.disabled)
      setAccounts((list) => list?.map((x) => (x.id === next.id ? next : x)) ?? null)
    })

  const changeSignup = (mode: SignupMode) =>
    run(async () => setSignup((await putInstanceSettings(mode)).signup))

  const testMail = () =>
    run(async () => {
      const sent = await sendTestEmail()
      setMailNote(
        sent.via === 'smtp'
          ? `Test e-mail handed to SMTP for ${sent.to}.`
          : `No SMTP_URL set: the test e-mail to ${sent.to} was written to the outbox table.`,
      )
    })

  return (
    <main className="mx-auto w-full max-w-3xl space-y-6 p-4 sm:p-8">
      <h1 className="text-2xl font-bold tracking-tight">Administration</h1>
      <ErrorNote message={error} />

      <section className={SECTION} aria-labelledby="admin-accounts">
        <h2 id="admin-accounts" className="font-semibold">
          Accounts
        </h2>
        {!accounts ? (
          <Spinner label="Loading accounts" />
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="py-1">Name</th>
                <th>E-mail</th>
                <th>Created</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr
                  key={a.id}
                  data-testid="admin-account"
                  className="border-t border-slate-100 dark:border-slate-800"
                >
                  <td className="py-1.5">
                    {a.name} {a.admin && <span className="text-xs text-indigo-600">admin</span>}
                  </td>
                  <td>{a.email}</td>
                  <td>
                    <When at={a.createdAt} />
                  </td>
                  <td>{a.disabled ? 'Disabled' : 'Active'}</td>
                  <td className="text-right">
                    {a.id !== user.id && (
                      <Button
                        size="sm"
                        variant={a.disabled ? 'secondary' : 'danger'}
                        aria-label={`${a.disabled ? 'Enable' : 'Disable'} ${a.email}`}
                        onClick={() => void toggle(a)}
                      >
                        {a.disabled ? 'Enable' : 'Disable'}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className={SECTION} aria-labelledby="admin-signup">
        <h2 id="admin-signup" className="font-semibold">
          Sign-up
        </h2>
        <label className="flex items-center gap-2 text-sm">
          Who may create an account
          <select
            aria-label="Sign-up"
            className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
            value={signup ?? 'open'}
            disabled={signup === null}
            onChange={(e) => void changeSignup(e.target.value as SignupMode)}
          >
            <option value="open">Anyone (open)</option>
            <option value="invite_only">Only people with an invitation</option>
          </select>
        </label>
      </section>

      <section className={SECTION} aria-labelledby="admin-mail">
        <h2 id="admin-mail" className="font-semibold">
          E-mail
        </h2>
        <Button variant="secondary" onClick={() => void testMail()}>
          Send test e-mail
        </Button>
        {mailNote && (
          <p role="status" className="text-sm text-emerald-600">
            {mailNote}
          </p>
        )}
      </section>

      <section className={SECTION} aria-labelledby="admin-health">
        <div className="flex items-center justify-between">
          <h2 id="admin-health" className="font-semibold">
            Health
          </h2>
          <Button size="sm" variant="ghost" onClick={() => void load()}>
            Refresh
          </Button>
        </div>
        {health && (
          <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-500">Version</dt>
            <dd>{health.version}</dd>
            <dt className="text-slate-500">Database size</dt>
            <dd>{formatBytes(health.databaseBytes)}</dd>
            <dt className="text-slate-500">Rooms loaded</dt>
            <dd>{health.roomsLoaded}</dd>
            <dt className="text-slate-500">Derivation lag (updates)</dt>
            <dd>{health.derivationLag}</dd>
            <dt className="text-slate-500">Mail waiting (immediate / digest)</dt>
            <dd>
              {health.mailQueue.pending} / {health.mailQueue.digest}
            </dd>
            <dt className="text-slate-500">Outbox messages</dt>
            <dd>{health.mailQueue.outbox}</dd>
          </dl>
        )}
      </section>
    </main>
  )
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`
}
