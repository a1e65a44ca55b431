import { newId, parseViewState, type ViewState } from '@taskflow/board'
import { useCallback, useEffect, useSyncExternalStore } from 'react'
import { z } from 'zod'
import { mergePersonalViews, type Outbox, type PersonalView, pushOutcome } from './personal-merge'
import { pullPersonalViews, pushPersonalView } from './personal-views-api'

export type { PersonalView } from './personal-merge'

/**
 * Personal saved views: this account's own views of a project, offline first. The local
 * store (localStorage, per account and project) is what the menus show, with or without a
 * network; every change also goes into an outbox (per view: the latest put or delete) that
 * is pushed to `PUT/DELETE /api/v1/me/views/:id` when online. On opening a project and on
 * reconnecting, the server's views are pulled and merged by `updatedAt` (personal-merge.ts),
 * so a view saved on another device appears here. Views saved before the server kept them
 * are simply local views the server has not heard of: the first sync pushes them.
 * Why not the board document: a teammate would see them.
 */

const viewSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  state: z.unknown().transform((s) => parseViewState(s)),
  updatedAt: z.number(),
})
const storedSchema = z.array(viewSchema)
const outboxSchema = z.record(
  z.string(),
  z.object({ op: z.enum(['put', 'delete']), updatedAt: z.number() }),
)

/** Ids of personal views in URLs and menus, apart from shared ones. */
export const PERSONAL_PREFIX = 'p:'

const key = (userId: string, projectId: string) => `taskflow.views.${userId}.${projectId}`
const outboxKey = (k: string) => k.replace('taskflow.views.', 'taskflow.views-outbox.')
const listeners = new Set<() => void>()
const cache = new Map<string, PersonalView[]>()

function parse<T>(schema: z.ZodType<T>, raw: string | null, fallback: T): T {
  try {
    const parsed = schema.safeParse(JSON.parse(raw ?? 'null'))
    return parsed.success ? parsed.data : fallback
  } catch {
    return fallback
  }
}

function read(k: string): PersonalView[] {
  const hit = cache.get(k)
  if (hit) return hit
  const out = parse(storedSchema, localStorage.getItem(k), [])
  cache.set(k, out)
  return out
}

/** This device's copy of my personal views of a project, read once (the palette lists them). */
export function readPersonalViews(userId: string, projectId: string): PersonalView[] {
  return read(key(userId, projectId))
}

function write(k: string, views: PersonalView[]) {
  cache.set(k, views)
  localStorage.setItem(k, JSON.stringify(views))
  for (const l of listeners) l()
}

const readOutbox = (k: string): Outbox =>
  parse(outboxSchema, localStorage.getItem(outboxKey(k)), {})
function writeOutbox(k: string, outbox: Outbox) {
  if (Object.keys(outbox).length === 0) localStorage.removeItem(outboxKey(k))
  else localStorage.setItem(outboxKey(k), JSON.stringify(outbox))
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

/** An edit's time: now, but always after the version it replaces (clocks differ between devices). */
function editTime(k: string, id: string): number {
  const before = read(k).find((v) => v.id === id)?.updatedAt ?? 0
  return Math.max(Date.now(), before + 1)
}

const running = new Map<string, Promise<void>>()
const again = new Set<string>()

/**
 * Pulls the server's views, merges them into the local store, then pushes the outbox.
 * One run per account and project at a time; a request during a run runs once more after.
 * Offline (or signed out), it leaves everything queued for the next time.
 */
export function syncPersonalViews(userId: string, projectId: string): Promise<void> {
  const k = key(userId, projectId)
  const current = running.get(k)
  if (current) {
    again.add(k)
    return current
  }
  const run = (async () => {
    do {
      again.delete(k)
      await syncOnce(k, projectId).catch(() => {})
    } while (again.has(k))
  })().finally(() => running.delete(k))
  running.set(k, run)
  return run
}

async function syncOnce(k: string, projectId: string) {
  const server = await pullPersonalViews(projectId)
  if (server === 'offline') return
  if (server !== 'unavailable') {
    const merged = mergePersonalViews(read(k), readOutbox(k), server)
    write(k, merged.views)
    writeOutbox(k, merged.outbox)
  }
  for (const [id, entry] of Object.entries(readOutbox(k))) {
    const view = read(k).find((v) => v.id === id)
    const result = await pushPersonalView(projectId, id, entry, view)
    if (result.kind === 'offline') return
    // A newer local edit made while this one was in flight stays queued.
    const outbox = readOutbox(k)
    if (outbox[id]?.updatedAt === entry.updatedAt && outbox[id]?.op === entry.op) {
      delete outbox[id]
      writeOutbox(k, outbox)
    }
    const views = pushOutcome(read(k), id, entry, result)
    if (views) write(k, views)
  }
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
  useEffect(() => {
    const sync = () => void syncPersonalViews(userId, projectId)
    sync()
    window.addEventListener('online', sync)
    return () => window.removeEventListener('online', sync)
  }, [userId, projectId])
  const queue = useCallback(
    (id: string, op: 'put' | 'delete', updatedAt: number) => {
      writeOutbox(k, { ...readOutbox(k), [id]: { op, updatedAt } })
      void syncPersonalViews(userId, projectId)
    },
    [k, userId, projectId],
  )
  const save = useCallback(
    (name: string, state: ViewState, id?: string) => {
      const viewId = id ?? newId()
      const view = { id: viewId, name: name.trim(), state, updatedAt: editTime(k, viewId) }
      const rest = read(k).filter((v) => v.id !== view.id)
      write(k, [...rest, view])
      queue(view.id, 'put', view.updatedAt)
      return view.id
    },
    [k, queue],
  )
  const remove = useCallback(
    (id: string) => {
      const updatedAt = editTime(k, id)
      write(
        k,
        read(k).filter((v) => v.id !== id),
      )
      queue(id, 'delete', updatedAt)
    },
    [k, queue],
  )
  return { views, save, remove }
}
