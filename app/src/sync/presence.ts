import { useSyncExternalStore } from 'react'
import type { WebsocketProvider } from 'y-websocket'
import { z } from 'zod'

/** Who is on a board right now, from y-websocket awareness (not persisted anywhere). */
export interface PresenceUser {
  clientId: number
  userId: string
  name: string
  /** The task whose panel this person has open. */
  taskId: string | null
  isMe: boolean
}

// Awareness states come from other clients: parse them like any outside data.
const stateSchema = z.object({
  user: z.object({ id: z.string(), name: z.string() }),
  taskId: z.string().nullish(),
})

export function announcePresence(provider: WebsocketProvider, user: { id: string; name: string }) {
  provider.awareness.setLocalStateField('user', user)
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
      const handler = () => {
        caches.set(provider, { list: readPresence(provider) })
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

/** One entry per person (several tabs of one person show once). */
export function uniquePeople(list: readonly PresenceUser[]): PresenceUser[] {
  const seen = new Map<string, PresenceUser>()
  for (const p of list) if (!seen.has(p.userId)) seen.set(p.userId, p)
  return [...seen.values()]
}
