import { z } from 'zod'
import { type User, userSchema } from '../api/schemas'

/**
 * The signed-in account, kept in localStorage so the app opens offline. Read through
 * `getSession()` / `useSession()`; changed only by `setSession()` / `clearSession()`.
 */
const STORAGE_KEY = 'taskflow.session'

const storedSessionSchema = z.object({ token: z.string().min(1), user: userSchema })
export type Session = z.infer<typeof storedSessionSchema>

const listeners = new Set<() => void>()
let current: Session | null = readStored()

function readStored(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY)
    if (!raw) return null
    const parsed = storedSessionSchema.safeParse(JSON.parse(raw))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

function emit(): void {
  for (const l of listeners) l()
}

export function getSession(): Session | null {
  return current
}

export function setSession(session: Session): void {
  current = session
  localStorage.setItem(STORAGE_KEY, JSON.stringify(session))
  emit()
}

export function updateSessionUser(user: User): void {
  if (current) setSession({ ...current, user })
}

export function clearSession(): void {
  current = null
  localStorage.removeItem(STORAGE_KEY)
  emit()
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

// Another tab signing in or out must not leave this one acting for a stale account.
window.addEventListener('storage', (e) => {
  if (e.key !== STORAGE_KEY) return
  current = readStored()
  emit()
})
