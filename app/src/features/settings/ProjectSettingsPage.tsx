import { Link, useNavigate, useParams } from '@tanstack/react-router'
import { ArrowLeft } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { errorMessage } from '../../api/client'
import { downloadExport } from '../../api/imports.api'
import {
  changeMemberRole,
  inviteMember,
  leaveProject,
  removeMember,
  resendInvitation,
  revokeInvitation,
} from '../../api/projects.api'
import { ROLES, type Role } from '../../api/schemas'
import { useRequiredSession } from '../../auth/use-session'
import { Avatar, Button, EmptyState, ErrorNote, Input, Spinner } from '../../ui/primitives'
import { When } from '../../ui/When'
import { useInvitations } from '../projects/use-invitations'
import { useMembers } from '../projects/use-members'
import { useProjectSummary } from '../projects/use-projects'
import { WebhooksSection } from './WebhooksSection'

const selectClass =
  'h-9 rounded-md border border-slate-300 bg-white px-2 text-sm capitalize dark:border-slate-700 dark:bg-slate-900'

/** Members of a project: invite by e-mail with a role, change roles, remove, leave. */
export function ProjectSettingsPage() {
  const { projectId } = useParams({ from: '/_authed/projects/$projectId/settings' })
  const { user } = useRequiredSession()
  const navigate = useNavigate()
  const project = useProjectSummary(projectId)
  const { members, error: loadError, reload } = useMembers(projectId)
  const [error, setError] = useState<string | null>(null)
  /** What the last action did, in words ("Invitation sent to …"). */
  const [notice, setNotice] = useState<string | null>(null)
  const canManage = project?.role === 'owner' || project?.role === 'admin'
  const pending = useInvitations(projectId, canManage)

  /** Runs an action; true when it succeeded (its error is shown otherwise). */
  async function run(action: () => Promise<unknown>, done?: string): Promise<boolean> {
    setError(null)
    setNotice(null)
    try {
      await action()
      reload()
      pending.reload()
      if (done) setNotice(done)
      return true
    } catch (err) {
      setError(errorMessage(err))
      return false
    }
  }

  async function onInvite(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = e.currentTarget
    const data = new FormData(form)
    const email = String(data.get('email') ?? '').trim()
    const role = String(data.get('role')) as Role
    let added = false
    const ok = await run(async () => {
      added = (await inviteMember(projectId, { email, role })).status === 'added'
    })
    if (!ok) return // keep what was typed, so it can be corrected
    setNotice(added ? `${email} was added to the project.` : `Invitation sent to ${email}.`)
    form.reset()
  }

  return (
    <main className="mx-auto w-full max-w-2xl space-y-6 p-4 sm:p-8">
      <Link
        to="/projects/$projectId"
        params={{ projectId }}
        className="inline-flex items-center gap-1 text-sm text-indigo-600 hover:underline"
      >
        <ArrowLeft className="size-4" /> Back to the board
      </Link>
      <h1 className="text-2xl font-bold tracking-tight">{project?.name ?? 'Project'} · Members</h1>
      <Link
        to="/projects/$projectId/fields"
        params={{ projectId }}
        className="inline-flex items-center gap-1 text-sm text-indigo-600 hover:underline"
        data-testid="fields-settings-link"
      >
        Custom fields →
      </Link>
      {canManage && (
        <form
          onSubmit={onInvite}
          // A stale error (e.g. "already a member") goes as soon as the input changes.
          onChange={() => setError(null)}
          className="flex flex-wrap gap-2"
          aria-label="Invite member"
        >
          <Input
            name="email"
            type="email"
            required
            placeholder="teammate@example.com"
            aria-label="Email to invite"
            className="min-w-48 flex-1"
          />
          <select
            name="role"
            defaultValue="member"
            aria-label="Role"
            className={`${selectClass} h-10`}
          >
            {ROLES.filter((r) => r !== 'owner').map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <Button type="submit">Invite</Button>
        </form>
      )}
      <ErrorNote message={error ?? loadError ?? pending.error} />
      {notice && (
        <p role="status" className="text-sm text-emerald-600">
          {notice}
        </p>
      )}
      {canManage && pending.invitations.length > 0 && (
        <section aria-label="Pending invitations" className="space-y-2">
          <h2 className="text-sm font-semibold text-slate-600 dark:text-slate-400">
            Pending invitations
          </h2>
          <ul className="divide-y divide-slate-200 rounded-lg border border-dashed border-slate-300 dark:divide-slate-800 dark:border-slate-700">
            {pending.invitations.map((inv) => (
              <li key={inv.id} className="flex items-center gap-3 p-3" data-testid="invitation-row">
                <div className="min-w-0 flex-1">
                  <p className="truncate text-sm font-medium">{inv.email}</p>
                  <p className="text-xs text-slate-500">
                    <span className="capitalize">{inv.role}</span> · invited, link expires{' '}
                    <When at={inv.expiresAt} />
                  </p>
                </div>
                <Button
                  variant="ghost"
                  size="sm"
                  onClick={() =>
                    run(
                      () => resendInvitation(projectId, inv.id),
                      `A new invitation link was sent to ${inv.email}.`,
                    )
                  }
                >
                  Resend
                </Button>
                <Button
                  variant="ghost"
                  size="sm"
                  className="text-red-600"
                  onClick={() =>
                    run(
                      () => revokeInvitation(projectId, inv.id),
                      `The invitation of ${inv.email} was revoked.`,
                    )
                  }
                >
                  Revoke
                </Button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {members === null && !loadError && <Spinner label="Loading members" />}
      {members?.length === 0 && <EmptyState title="No members" />}
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
        {members?.map((m) => (
          <li key={m.userId} className="flex items-center gap-3 p-3" data-testid="member-row">
            <Avatar id={m.userId} name={m.name || m.email} />
            <div className="min-w-0 flex-1">
              <p className="truncate text-sm font-medium">
                {m.name || m.email}{' '}
                {m.userId === user.id && <span className="text-slate-500">(you)</span>}
              </p>
              <p className="truncate text-xs text-slate-500">{m.email}</p>
            </div>
            {canManage && m.role !== 'owner' && m.userId !== user.id ? (
              <>
                <select
                  aria-label={`Role of ${m.email}`}
                  className={selectClass}
                  value={m.role}
                  onChange={(e) =>
                    run(() => changeMemberRole(projectId, m.userId, e.target.value as Role))
                  }
                >
                  {ROLES.filter((r) => r !== 'owner').map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
                <Button
                  variant="ghost"
                  size="sm"
                  className="text-red-600"
                  onClick={() => run(() => removeMember(projectId, m.userId))}
                >
                  Remove
                </Button>
              </>
            ) : (
              <span className="text-xs capitalize text-slate-500">{m.role}</span>
            )}
          </li>
        ))}
      </ul>
      {canManage && <WebhooksSection projectId={projectId} />}
      <section aria-label="Export" className="space-y-2">
        <h2 className="text-sm font-semibold text-slate-600 dark:text-slate-400">Export</h2>
        <p className="text-sm text-slate-500">
          Everything on the board as a file: JSON keeps it all and can be imported again, CSV is one
          row per task for spreadsheets.
        </p>
        <div className="flex gap-2">
          <Button variant="secondary" onClick={() => run(() => downloadExport(projectId, 'json'))}>
            Export JSON
          </Button>
          <Button variant="secondary" onClick={() => run(() => downloadExport(projectId, 'csv'))}>
            Export CSV
          </Button>
        </div>
      </section>
      {project && project.role !== 'owner' && (
        <Button
          variant="secondary"
          className="text-red-600"
          onClick={() =>
            run(async () => {
              await leaveProject(projectId)
              await navigate({ to: '/projects' })
            })
          }
        >
          Leave project
        </Button>
      )}
    </main>
  )
}
