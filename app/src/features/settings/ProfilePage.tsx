import { Link } from '@tanstack/react-router'
import { type FormEvent, useState } from 'react'
import { updateMe } from '../../api/auth.api'
import { errorMessage } from '../../api/client'
import { updateSessionUser } from '../../auth/session'
import { useRequiredSession } from '../../auth/use-session'
import { Button, ErrorNote, Field, Input } from '../../ui/primitives'
import { ChangePasswordForm } from './ChangePasswordForm'
import { NotificationPreferences } from './NotificationPreferences'

export function ProfilePage() {
  const { user } = useRequiredSession()
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const name = String(new FormData(e.currentTarget).get('name') ?? '').trim()
    setError(null)
    setSaved(false)
    try {
      updateSessionUser(await updateMe({ name }))
      setSaved(true)
    } catch (err) {
      setError(errorMessage(err))
    }
  }

  return (
    <main className="mx-auto w-full max-w-md space-y-6 p-4 sm:p-8">
      <h1 className="text-2xl font-bold tracking-tight">Profile</h1>
      <form onSubmit={onSubmit} className="space-y-4">
        <Field label="Email" htmlFor="email">
          <Input id="email" value={user.email} disabled />
        </Field>
        <Field label="Name" htmlFor="name">
          <Input id="name" name="name" defaultValue={user.name} required />
        </Field>
        <ErrorNote message={error} />
        {saved && <p className="text-sm text-emerald-600">Saved.</p>}
        <Button type="submit">Save</Button>
      </form>
      <ChangePasswordForm />
      <NotificationPreferences />
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">API tokens</h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Personal tokens for scripts and integrations.{' '}
          <Link to="/settings/tokens" className="text-indigo-600 underline">
            Manage API tokens
          </Link>
        </p>
      </section>
    </main>
  )
}
