import { PersonalViewSchema, type PersonalViews, PersonalViewsSchema } from '@taskflow/api'
import { parseViewState } from '@taskflow/board'
import { ApiError, apiRequest, authHeaders, NO_CONTENT } from '../../api/client'
import type { Outbox, PersonalView, PushResult } from './personal-merge'

const signedIn = () => 'authorization' in authHeaders()

/** Worth trying again later: not reached, the server failing, or asked to wait. */
const transient = (err: unknown) =>
  !(err instanceof ApiError) ||
  err.isNetwork ||
  err.status >= 500 ||
  err.status === 429 ||
  err.status === 401

/** The server's personal views of a project; `unavailable` when it refuses (not readable). */
export async function pullPersonalViews(
  projectId: string,
): Promise<PersonalViews | 'offline' | 'unavailable'> {
  if (!signedIn()) return 'offline'
  try {
    return await apiRequest(`/me/views?projectId=${encodeURIComponent(projectId)}`, {
      schema: PersonalViewsSchema,
    })
  } catch (err) {
    return transient(err) ? 'offline' : 'unavailable'
  }
}

/** Sends one queued change (the view as it is now on this device, for a put). */
export async function pushPersonalView(
  projectId: string,
  id: string,
  entry: Outbox[string],
  view: PersonalView | undefined,
): Promise<PushResult> {
  if (!signedIn()) return { kind: 'offline' }
  const path = `/me/views/${encodeURIComponent(id)}`
  try {
    if (entry.op === 'delete') {
      await apiRequest(`${path}?updatedAt=${entry.updatedAt}`, {
        method: 'DELETE',
        schema: NO_CONTENT,
      })
      return { kind: 'deleted' }
    }
    if (!view) return { kind: 'refused' }
    const stored = await apiRequest(path, {
      method: 'PUT',
      body: { projectId, name: view.name, state: view.state, updatedAt: view.updatedAt },
      schema: PersonalViewSchema,
    })
    const state = parseViewState(stored.state)
    return { kind: 'stored', view: { id, name: stored.name, state, updatedAt: stored.updatedAt } }
  } catch (err) {
    if (transient(err)) return { kind: 'offline' }
    if (err instanceof ApiError && err.status === 410) return { kind: 'gone' }
    return { kind: 'refused' }
  }
}
