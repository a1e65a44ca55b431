import { useSyncExternalStore } from 'react'
import type { WebsocketProvider } from 'y-websocket'
import { z } from 'zod'
import { colorIndexFor } from '../ui/primitives'

/** Who is on a board right now, from y-websocket awareness (not persisted anywhere). */
export interface PresenceUser {
  clientId: number
  userId: string
  name: string
  /** The task whose panel this person has open. */
  taskId: string | null
  isMe: boolean
}

/**
 * The `user` field every client publishes. `name` and `color` are also what TipTap's
 * collaboration caret reads to label a teammate's cursor in a description, so board
 * avatars and description carets always agree on who someone is.
 */
export interface PresenceIdentity {
  id: string
  name: string
  /** `#rrggbb`: the caret only accepts six-digit hex colours. */
  color: string
}

/**
 * Hex values of the avatar palette (app/src/ui/primitives.tsx, Tailwind's -500 shades),
 * in the same order, so a person's caret has the colour of their avatar.
 */
const AVATAR_HEX = [
  '#f43f5e',
  '#f59e0b',
  '#10b981',
  '#0ea5e9',
  '#8b5cf6',
  '#d946ef',
  '#14b8a6',
  '#f97316',
]

export function presenceIdentity(user: { id: string; name: string }): PresenceIdentity {
  return { id: user.id, name: user.name, color: AVATAR_HEX[colorIndexFor(user.id)]! }
}

// Awareness states come from other clients: parse them like any outside data.
const stateSchema = z.object({
  user: z.object({ id: z.string(), name: z.string() }),
  taskId: z.string().nullish(),
})

export function announcePresence(provider: WebsocketProvider, user: { id: string; name: string }) {
  provider.awareness.setLocalStateField('user', presenceIdentity(user))
}

/** What this client announced (see announcePresence), or null before it did. */
export function myPresenceIdentity(provider: WebsocketProvider): PresenceIdentity | null {
  const parsed = stateSchema.safeParse(provider.awareness.getLocalState())
  return parsed.success ? presenceIdentity(parsed.data.user) : null
}

export function setViewingTask(provider: WebsocketProvider, taskId: string | null): void {
  provider.awareness.setLocalStateField('taskId', taskId)
}

const caches = new WeakMap<WebsocketProvider, { list: PresenceUser[] }>()

function readPresence(provider: WebsocketProvider): PresenceUser[] {
  const out: PresenceUser[] = []
  const me = provider.awareness.clientID
  provider.awareness.getStates().forEach((state, clientId) => {
    const parsed = stateSchema.safeParse(state)
    if (!parsed.success) return
    out.push({
      clientId,
      userId: parsed.data.user.id,
      name: parsed.data.user.name,
      taskId: parsed.data.taskId ?? null,
      isMe: clientId === me,
    })
  })
  return out.sort((a, b) => a.clientId - b.clientId)
}

/** Everyone present (one entry per client, me included), updated live. */
export function usePresence(provider: WebsocketProvider): PresenceUser[] {
  return useSyncExternalStore(
    (onChange) => {
      let seen = caches.get(provider)?.list
      const handler = () => {
        // Carets in a description change awareness on every keystroke; the board only
        // re-renders when who is here, or which task they have open, changed.
        let cache = caches.get(provider)
        const list = readPresence(provider)
        if (!cache || !samePresence(cache.list, list)) {
          cache = { list }
          caches.set(provider, cache)
        }
        if (cache.list === seen) return
        seen = cache.list
        onChange()
      }
      provider.awareness.on('change', handler)
      return () => provider.awareness.off('change', handler)
    },
    () => {
      let cache = caches.get(provider)
      if (!cache) {
        cache = { list: readPresence(provider) }
        caches.set(provider, cache)
      }
      return cache.list
    },
  )
}

function samePresence(a: readonly PresenceUser[] | undefined, b: readonly PresenceUser[]): boolean {
  if (!a || a.length !== b.length) return false
  return a.every((p, i) => {
    const q = b[i]!
    return (
      p.clientId === q.clientId &&
      p.userId === q.userId &&
      p.name === q.name &&
      p.taskId === q.taskId &&
      p.isMe === q.isMe
    )
  })
}

/** One entry per person (several tabs of one person show once). */
export function uniquePeople(list: readonly PresenceUser[]): PresenceUser[] {
  const seen = new Map<string, PresenceUser>()
  for (const p of list) if (!seen.has(p.userId)) seen.set(p.userId, p)
  return [...seen.values()]
}
