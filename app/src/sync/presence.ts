import { useSyncExternalStore } from 'react'
import type { WebsocketProvider } from 'y-websocket'
import { z } from 'zod'
import type { Member } from '../api/schemas'
import { colorIndexFor } from '../ui/primitives'

/**
 * Who is on a board right now, from y-websocket awareness (not persisted anywhere).
 *
 * A teammate's state is theirs to write, so nothing in it is trusted but `user.id`, which
 * the sync server overwrites with the user its connection signed in as (sync SPEC 4.8).
 * Names and colours come from that id through the member list, never from the state.
 */
export interface PresenceUser {
  clientId: number
  /** The user the server vouches for (sync SPEC 4.8). */
  userId: string
  /** From the member list (mine: what I announced). */
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
// A teammate's state: only the server-stamped id of `user` is read from it.
const remoteStateSchema = z.object({
  user: z.object({ id: z.string() }),
  taskId: z.string().nullish(),
})

const memberName = (m: Member) => m.name || m.email

/**
 * Who a teammate's awareness `user` field stands for: the member its server-stamped id
 * names, with that member's name and colour — whatever name or colour the state claims.
 * Null when the id is not a member (yet: see unknownPresentUsers).
 * @example vouchedIdentity(state.user, membersById)?.name
 */
export function vouchedIdentity(
  user: unknown,
  membersById: ReadonlyMap<string, Member>,
): PresenceIdentity | null {
  const parsed = remoteStateSchema.shape.user.safeParse(user)
  const member = parsed.success ? membersById.get(parsed.data.id) : undefined
  return member ? presenceIdentity({ id: member.userId, name: memberName(member) }) : null
}

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

/**
 * Everyone present, me included, from awareness states. Teammates are named from the
 * member list by their server-stamped id; ids that are not members are left out.
 */
export function presenceFromStates(
  states: ReadonlyMap<number, unknown>,
  myClientId: number,
  membersById: ReadonlyMap<string, Member>,
): PresenceUser[] {
  const out: PresenceUser[] = []
  states.forEach((state, clientId) => {
    const parsed = remoteStateSchema.safeParse(state)
    if (!parsed.success) return
    const { user, taskId } = parsed.data
    const isMe = clientId === myClientId
    const member = membersById.get(user.id)
    // My own state is written by this app, so its name needs no voucher.
    const name = member
      ? memberName(member)
      : isMe
        ? (stateSchema.safeParse(state).data?.user.name ?? null)
        : null
    if (name === null) return
    out.push({ clientId, userId: user.id, name, taskId: taskId ?? null, isMe })
  })
  return out.sort((a, b) => a.clientId - b.clientId)
}

/** User ids present on the board (server-stamped) that `membersById` does not know. */
export function unknownPresentUsers(
  provider: WebsocketProvider,
  membersById: ReadonlyMap<string, unknown>,
): string[] {
  const out = new Set<string>()
  provider.awareness.getStates().forEach((state, clientId) => {
    if (clientId === provider.awareness.clientID) return
    const parsed = remoteStateSchema.safeParse(state)
    if (parsed.success && !membersById.has(parsed.data.user.id)) out.add(parsed.data.user.id)
  })
  return [...out]
}

const caches = new WeakMap<
  WebsocketProvider,
  { list: PresenceUser[]; members: ReadonlyMap<string, Member> }
>()

function readPresence(
  provider: WebsocketProvider,
  membersById: ReadonlyMap<string, Member>,
): PresenceUser[] {
  return presenceFromStates(
    provider.awareness.getStates(),
    provider.awareness.clientID,
    membersById,
  )
}

/** Everyone present (one entry per client, me included), updated live. */
export function usePresence(
  provider: WebsocketProvider,
  membersById: ReadonlyMap<string, Member>,
): PresenceUser[] {
  return useSyncExternalStore(
    (onChange) => {
      let seen = caches.get(provider)?.list
      const handler = () => {
        // Carets in a description change awareness on every keystroke; the board only
        // re-renders when who is here, or which task they have open, changed.
        let cache = caches.get(provider)
        const members = cache?.members ?? membersById
        const list = readPresence(provider, members)
        if (!cache || !samePresence(cache.list, list)) {
          cache = { list, members }
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
      if (!cache || cache.members !== membersById) {
        const list = readPresence(provider, membersById)
        cache = {
          list: cache && samePresence(cache.list, list) ? cache.list : list,
          members: membersById,
        }
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
