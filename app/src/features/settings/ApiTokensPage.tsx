import type { ApiToken, ApiTokenScope, CreatedApiToken } from '@taskflow/api'
import { type FormEvent, useCallback, useEffect, useState } from 'react'
import { errorMessage } from '../../api/client'
import { listProjects } from '../../api/projects.api'
import type { Project } from '../../api/schemas'
import { createApiToken, listApiTokens, revokeApiToken } from '../../api/tokens.api'
import { Button, ErrorNote, Field, Input, Spinner } from '../../ui/primitives'
import { useNow, When } from '../../ui/When'

const SECTION = 'space-y-3 rounded-lg border border-slate-200 p-4 dark:border-slate-800'
const DAY = 86_400_000
const EXPIRIES = [
  { label: 'Never', days: 0 },
  { label: '7 days', days: 7 },
  { label: '30 days', days: 30 },
  { label: '90 days', days: 90 },
  { label: '1 year', days: 365 },
] as const

/** Settings → API tokens: create (secret shown once), list with last use, revoke. */
export function ApiTokensPage() {
  const [tokens, setTokens] = useState<ApiToken[] | null>(null)
  const [projects, setProjects] = useState<Project[]>([])
  const [created, setCreated] = useState<CreatedApiToken | null>(null)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(async () => {
    try {
      const [list, mine] = await Promise.all([listApiTokens(), listProjects()])
      setTokens(list.tokens)
      setProjects(mine)
    } catch (err) {
      setError(errorMessage(err))
    }
  }, [])

  useEffect(() => {
    void load()
  }, [load])

  const revoke = async (id: string) => {
    setError(null)
    try {
      await revokeApiToken(id)
      setTokens((list) => list?.filter((t) => t.id !== id) ?? null)
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  return (
    <main className="mx-auto w-full max-w-3xl space-y-6 p-4 sm:p-8">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold tracking-tight">API tokens</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Tokens let scripts and integrations use the REST API as you, sent as{' '}
          <code>Authorization: Bearer tfp_…</code>. They cannot change your password, tokens or
          project members, and do not open live boards.
        </p>
      </div>
      {created ? (
        <NewTokenSecret token={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateTokenForm
          projects={projects}
          onCreated={(t) => {
            setCreated(t)
            void load()
          }}
        />
      )}
      <ErrorNote message={error} />
      <section className={SECTION} aria-labelledby="tokens-heading">
        <h2 id="tokens-heading" className="text-lg font-semibold">
          Your tokens
        </h2>
        {tokens === null ? (
          <Spinner label="Loading tokens" />
        ) : tokens.length === 0 ? (
          <p className="text-sm text-slate-500">No tokens yet.</p>
        ) : (
          <ul className="divide-y divide-slate-200 dark:divide-slate-800">
            {tokens.map((t) => (
              <TokenRow key={t.id} token={t} projects={projects} onRevoke={() => revoke(t.id)} />
            ))}
          </ul>
        )}
      </section>
    </main>
  )
}

function CreateTokenForm(props: {
  projects: Project[]
  onCreated: (token: CreatedApiToken) => void
}) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [limited, setLimited] = useState(false)

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const data = new FormData(e.currentTarget)
    const days = Number(data.get('expiry') ?? 0)
    const projectIds = data.getAll('projectIds').map(String)
    if (limited && projectIds.length === 0) {
      setError('Choose at least one project, or let the token reach all of them.')
      return
    }
    setBusy(true)
    setError(null)
    try {
      props.onCreated(
        await createApiToken({
          name: String(data.get('name') ?? '').trim(),
          scope: String(data.get('scope')) as ApiTokenScope,
          ...(limited ? { projectIds } : {}),
          ...(days > 0 ? { expiresAt: new Date(Date.now() + days * DAY).toISOString() } : {}),
        }),
      )
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form onSubmit={onSubmit} className={SECTION} aria-label="Create a token">
      <h2 className="text-lg font-semibold">Create a token</h2>
      <Field label="Name" htmlFor="token-name">
        <Input id="token-name" name="name" maxLength={100} required placeholder="e.g. CI script" />
      </Field>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Access</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="scope" value="read" defaultChecked /> Read only
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="scope" value="write" /> Read and write
        </label>
      </fieldset>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Projects</legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="limit" checked={!limited} onChange={() => setLimited(false)} />{' '}
          All my projects
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="limit" checked={limited} onChange={() => setLimited(true)} />{' '}
          Only these projects
        </label>
        {limited && (
          <div className="ml-6 space-y-1">
            {props.projects.map((p) => (
              <label key={p.id} className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="projectIds" value={p.id} /> {p.name}
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <Field label="Expires" htmlFor="token-expiry">
        <select
          id="token-expiry"
          name="expiry"
          defaultValue="90"
          className="h-10 rounded-md border border-slate-300 bg-white px-3 text-sm dark:border-slate-700 dark:bg-slate-900"
        >
          {EXPIRIES.map((x) => (
            <option key={x.days} value={x.days}>
              {x.label}
            </option>
          ))}
        </select>
      </Field>
      <ErrorNote message={error} />
      <Button type="submit" disabled={busy}>
        {busy ? 'Please wait…' : 'Create token'}
      </Button>
    </form>
  )
}

/** The secret, once: the server keeps only its hash. */
function NewTokenSecret({ token, onDone }: { token: CreatedApiToken; onDone: () => void }) {
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.token)
      setCopied(true)
    } catch {
      setCopied(false)
    }
  }
  return (
    <section className={SECTION} aria-label="New token">
      <h2 className="text-lg font-semibold">Token “{token.name}” created</h2>
      <p className="text-sm text-amber-700 dark:text-amber-400">
        Copy it now: it is shown only this once.
      </p>
      <div className="flex gap-2">
        <Input
          readOnly
          aria-label="New token secret"
          value={token.token}
          className="font-mono"
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button variant="secondary" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
      <Button onClick={onDone}>Done</Button>
    </section>
  )
}

function TokenRow(props: { token: ApiToken; projects: Project[]; onRevoke: () => void }) {
  const { token } = props
  const now = useNow()
  const [confirming, setConfirming] = useState(false)
  const expired = token.expiresAt !== null && Date.parse(token.expiresAt) <= now
  const names = token.projectIds?.map(
    (id) => props.projects.find((p) => p.id === id)?.name ?? 'a project you left',
  )
  return (
    <li className="flex flex-wrap items-start justify-between gap-3 py-3" aria-label={token.name}>
      <div className="space-y-0.5 text-sm">
        <div className="font-medium">
          {token.name}{' '}
          <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">
            {token.scope === 'read' ? 'read only' : 'read and write'}
          </span>
          {expired && <span className="ml-1 text-xs text-red-600">expired</span>}
        </div>
        <div className="text-slate-500">{names ? names.join(', ') : 'All projects'}</div>
        <div className="text-slate-500">
          Created <When at={token.createdAt} /> · Last used{' '}
          {token.lastUsedAt ? <When at={token.lastUsedAt} /> : 'never'} ·{' '}
          {token.expiresAt ? (
            <>
              {expired ? 'Expired' : 'Expires'} <When at={token.expiresAt} />
            </>
          ) : (
            'Never expires'
          )}
        </div>
      </div>
      {confirming ? (
        <div className="flex gap-2">
          <Button variant="danger" size="sm" onClick={props.onRevoke}>
            Revoke now
          </Button>
          <Button variant="ghost" size="sm" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        </div>
      ) : (
        <Button variant="secondary" size="sm" onClick={() => setConfirming(true)}>
          Revoke
        </Button>
      )}
    </li>
  )
}
