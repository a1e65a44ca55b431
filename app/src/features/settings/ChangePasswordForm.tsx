import { type FormEvent, useState } from 'react'
import { changePassword } from '../../api/auth.api'
import { errorMessage } from '../../api/client'
import { Button, ErrorNote, Field, Input } from '../../ui/primitives'

/** Current + new password. The server keeps this session and signs out every other one. */
export function ChangePasswordForm() {
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState(false)
  const [busy, setBusy] = useState(false)

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = e.currentTarget
    const data = new FormData(form)
    setBusy(true)
    setError(null)
    setDone(false)
    try {
      await changePassword({
        currentPassword: String(data.get('currentPassword') ?? ''),
        newPassword: String(data.get('newPassword') ?? ''),
      })
      form.reset()
      setDone(true)
    } catch (err) {
      setError(errorMessage(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      onSubmit={onSubmit}
      onChange={() => setDone(false)}
      className="space-y-4"
      aria-label="Change password"
    >
      <h2 className="text-lg font-semibold">Change password</h2>
      <Field label="Current password" htmlFor="currentPassword">
        <Input
          id="currentPassword"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
        />
      </Field>
      <Field label="New password" htmlFor="newPassword">
        <Input
          id="newPassword"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          minLength={8}
          required
        />
      </Field>
      <ErrorNote message={error} />
      {done && (
        <p role="status" className="text-sm text-emerald-600">
          Password changed. Your other devices were signed out.
        </p>
      )}
      <Button type="submit" disabled={busy}>
        {busy ? 'Please wait…' : 'Change password'}
      </Button>
    </form>
  )
}
