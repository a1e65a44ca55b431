import { newId, parseViewState, type ViewState } from '@taskflow/board'
import { useCallback, useSyncExternalStore } from 'react'
import { z } from 'zod'

/**
 * Personal saved views: this account's own views of a project, kept on this device
 * (localStorage, per account and project), so they work offline like everything else.
 * Why not the board document: a teammate would see them. Why not (yet) the server: it would
 * take an outbox for views made offline; this store's shape (ids made here, whole-view
 * writes, `updatedAt`) is what an idempotent `PUT /api/v1/me/views/:id` would sync.
 */
export interface PersonalView {
  id: string
  name: string
  state: ViewState
  updatedAt: number
}

const storedSchema = z.array(
  z.object({
    id: z.string().min(1).max(64),
    name: z.string().min(1).max(200),
    state: z.unknown().transform((s) => parseViewState(s)),
    updatedAt: z.number(),
  }),
)

/** Ids of personal views in URLs and menus, apart from shared ones. */
export const PERSONAL_PREFIX = 'p:'

const key = (userId: string, projectId: string) => `taskflow.views.${userId}.${projectId}`
const listeners = new Set<() => void>()
const cache = new Map<string, PersonalView[]>()

function read(k: string): PersonalView[] {
  const hit = cache.get(k)
  if (hit) return hit
  let out: PersonalView[] = []
  try {
    const parsed = storedSchema.safeParse(JSON.parse(localStorage.getItem(k) ?? '[]'))
    if (parsed.success) out = parsed.data
  } catch {}
  cache.set(k, out)
  return out
}

function write(k: string, views: PersonalView[]) {
  cache.set(k, views)
  localStorage.setItem(k, JSON.stringify(views))
  for (const l of listeners) l()
}

if (typeof window !== 'undefined') {
  // Another tab of this account saved a view.
  window.addEventListener('storage', (e) => {
    if (e.key?.startsWith('taskflow.views.')) {
      cache.delete(e.key)
      for (const l of listeners) l()
    }
  })
}

export function usePersonalViews(userId: string, projectId: string) {
  const k = key(userId, projectId)
  const views = useSyncExternalStore(
    (cb) => {
      listeners.add(cb)
      return () => listeners.delete(cb)
    },
    () => read(k),
  )
  const save = useCallback(
    (name: string, state: ViewState, id?: string) => {
      const view = { id: id ?? newId(), name: name.trim(), state, updatedAt: Date.now() }
      const rest = read(k).filter((v) => v.id !== view.id)
      write(k, [...rest, view])
      return view.id
    },
    [k],
  )
  const remove = useCallback(
    (id: string) =>
      write(
        k,
        read(k).filter((v) => v.id !== id),
      ),
    [k],
  )
  return { views, save, remove }
}
