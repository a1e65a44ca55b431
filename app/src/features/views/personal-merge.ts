import type { PersonalViews } from '@taskflow/api'
import { parseViewState, type ViewState } from '@taskflow/board'

/** A personal view as the device keeps it. `updatedAt`: the last edit's time (ms), on the device that made it. */
export interface PersonalView {
  id: string
  name: string
  state: ViewState
  updatedAt: number
}

/** Changes not yet on the server, per view: only the latest matters (whole-view writes). */
export type Outbox = Record<string, { op: 'put' | 'delete'; updatedAt: number }>

/** What pushing one outbox entry came to. */
export type PushResult =
  | { kind: 'stored'; view: PersonalView }
  | { kind: 'deleted' }
  /** A later deletion stands on the server (410). */
  | { kind: 'gone' }
  /** Refused for good (404 project not readable, 409, 400): the view stays on this device only. */
  | { kind: 'refused' }
  /** Not reached (offline, 5xx, 429): stays queued. */
  | { kind: 'offline' }

const fromServer = (v: PersonalViews['views'][number]): PersonalView => ({
  id: v.id,
  name: v.name,
  state: parseViewState(v.state),
  updatedAt: v.updatedAt,
})

/**
 * Merges the server's views into the device's, last writer wins by `updatedAt` (the rule the
 * server applies too, docs/api.md "Personal views"): the newer of the two copies of a view
 * stays; a deletion (the server's tombstone, or one queued here) beats an edit it is not
 * older than. Local views the server is missing or has older (made offline, or kept here
 * before the server stored views) are queued for pushing.
 */
export function mergePersonalViews(
  local: readonly PersonalView[],
  outbox: Readonly<Outbox>,
  server: PersonalViews,
): { views: PersonalView[]; outbox: Outbox } {
  const out: Outbox = { ...outbox }
  const serverById = new Map(server.views.map((v) => [v.id, v]))
  const tombs = new Map(server.deleted.map((t) => [t.id, t.updatedAt]))
  const views: PersonalView[] = []
  const seen = new Set<string>()
  for (const mine of local) {
    seen.add(mine.id)
    const theirs = serverById.get(mine.id)
    const deletedAt = tombs.get(mine.id)
    if (theirs && theirs.updatedAt > mine.updatedAt) {
      views.push(fromServer(theirs))
      if (out[mine.id] && out[mine.id]!.updatedAt <= theirs.updatedAt) delete out[mine.id]
    } else if (deletedAt !== undefined && deletedAt >= mine.updatedAt) {
      if (out[mine.id] && out[mine.id]!.updatedAt <= deletedAt) delete out[mine.id]
    } else {
      views.push(mine)
      if (!theirs || theirs.updatedAt < mine.updatedAt) {
        if (!out[mine.id]) out[mine.id] = { op: 'put', updatedAt: mine.updatedAt }
      }
    }
  }
  for (const theirs of server.views) {
    if (seen.has(theirs.id)) continue
    const queued = out[theirs.id]
    if (queued?.op === 'delete' && queued.updatedAt >= theirs.updatedAt) continue
    if (queued && queued.updatedAt <= theirs.updatedAt) delete out[theirs.id]
    views.push(fromServer(theirs))
  }
  for (const [id, entry] of Object.entries(out)) {
    const deletedAt = tombs.get(id)
    if (entry.op === 'delete' && deletedAt !== undefined && deletedAt >= entry.updatedAt) {
      delete out[id]
    }
  }
  return { views, outbox: out }
}

/** The device's views after a push, or null when they stay as they are. */
export function pushOutcome(
  views: readonly PersonalView[],
  id: string,
  entry: Outbox[string],
  result: PushResult,
): PersonalView[] | null {
  const mine = views.find((v) => v.id === id)
  if (result.kind === 'stored' && mine && result.view.updatedAt > mine.updatedAt) {
    return views.map((v) => (v.id === id ? result.view : v))
  }
  if (result.kind === 'gone' && mine && mine.updatedAt <= entry.updatedAt) {
    return views.filter((v) => v.id !== id)
  }
  return null
}
