import type * as YT from 'yjs'
import * as Y from 'yjs'
import { newId } from './ids.js'
import { compareOrdered, keyForIndex } from './order.js'
import { parseViewState, type ViewState } from './query.js'
import { fail, ok, type Result } from './result.js'
import { numOrNull, type OpContext, roots, runOp, str, strOrNull } from './schema.js'
import { checkName, MAX_NAME } from './validate.js'

/** A view shared with the project: stored in the board document, so it merges and works offline. */
export interface SavedView {
  id: string
  name: string
  order: string
  state: ViewState
  createdBy: string | null
  createdAt: number | null
  updatedAt: number | null
}

/** Largest stored view state (JSON characters): a view is a few hundred. */
export const MAX_VIEW_STATE = 8_000

function readState(raw: unknown): ViewState {
  if (typeof raw !== 'string') return parseViewState(null)
  try {
    return parseViewState(JSON.parse(raw))
  } catch {
    return parseViewState(null)
  }
}

/**
 * The project's shared views in order (V2: by key, then id). A state a peer wrote badly or
 * a newer app wrote with fields this one does not know reads as what it can understand.
 * @example listSavedViews(doc).map((v) => v.name)
 */
export function listSavedViews(doc: YT.Doc): SavedView[] {
  const out: SavedView[] = []
  roots(doc).views.forEach((m, id) => {
    if (!(m instanceof Y.Map)) return
    out.push({
      id,
      name: str(m, 'name', 'Untitled view'),
      order: str(m, 'order', 'a0'),
      state: readState(m.get('state')),
      createdBy: strOrNull(m, 'createdBy'),
      createdAt: numOrNull(m, 'createdAt'),
      updatedAt: numOrNull(m, 'updatedAt'),
    })
  })
  return out.sort(compareOrdered)
}

function checkState(state: unknown): { json: string } | { error: string } {
  if (typeof state !== 'object' || state === null) return { error: 'state must be an object' }
  // Normalised before storing, so every replica reads exactly what was meant.
  const json = JSON.stringify(parseViewState(state))
  if (json.length > MAX_VIEW_STATE)
    return { error: `state must be at most ${MAX_VIEW_STATE} characters` }
  return { json }
}

/**
 * Saves a shared view (V1: random id, concurrent creations all exist), last unless `index`.
 * @example createSavedView(doc, { name: 'Mine', state: { ...DEFAULT_VIEW_STATE, filter: { fields: { assignee: ['me'] } } } })
 */
export function createSavedView(
  doc: YT.Doc,
  input: { name: string; state: ViewState; index?: number },
  ctx?: OpContext,
): Result<{ id: string }> {
  const bad = checkName(input?.name, 'name', MAX_NAME)
  if (bad) return fail('invalid', bad)
  const state = checkState(input.state)
  if ('error' in state) return fail('invalid', state.error)
  return runOp(doc, ctx, (now) => {
    const views = roots(doc).views
    const sorted = listSavedViews(doc)
    const order = keyForIndex(sorted, input.index ?? sorted.length, (id, key) =>
      views.get(id)?.set('order', key),
    )
    const id = newId()
    const m = new Y.Map<unknown>()
    m.set('name', input.name.trim())
    m.set('order', order)
    m.set('state', state.json)
    m.set('createdBy', ctx?.userId ?? null)
    m.set('createdAt', now)
    m.set('updatedAt', now)
    views.set(id, m)
    return ok({ id })
  })
}

/**
 * Renames a shared view or replaces its state (V3: last writer wins per field; the state is
 * one value, so two people's filters never mix into one neither of them chose).
 */
export function updateSavedView(
  doc: YT.Doc,
  viewId: string,
  patch: { name?: string; state?: ViewState },
  ctx?: OpContext,
): Result<null> {
  const m = roots(doc).views.get(viewId)
  if (!(m instanceof Y.Map)) return fail('not_found', `view ${viewId} does not exist`)
  const bad = patch?.name !== undefined ? checkName(patch.name, 'name', MAX_NAME) : null
  if (bad) return fail('invalid', bad)
  const state = patch.state !== undefined ? checkState(patch.state) : null
  if (state && 'error' in state) return fail('invalid', state.error)
  return runOp(doc, ctx, (now) => {
    if (patch.name !== undefined) m.set('name', patch.name.trim())
    if (state) m.set('state', state.json)
    m.set('updatedAt', now)
    return ok(null)
  })
}

/** Deletes a shared view (V4: deleting wins over a concurrent edit of it). */
export function deleteSavedView(doc: YT.Doc, viewId: string, ctx?: OpContext): Result<null> {
  const views = roots(doc).views
  if (!views.has(viewId)) return fail('not_found', `view ${viewId} does not exist`)
  return runOp(doc, ctx, () => {
    views.delete(viewId)
    if (roots(doc).meta.get('defaultViewId') === viewId) roots(doc).meta.set('defaultViewId', null)
    return ok(null)
  })
}

/**
 * Makes a shared view the project's default (what opening the project shows), or clears it
 * with null (V5: last writer wins; a default whose view was deleted reads as none).
 */
export function setDefaultView(doc: YT.Doc, viewId: string | null, ctx?: OpContext): Result<null> {
  if (viewId !== null && !roots(doc).views.has(viewId)) {
    return fail('not_found', `view ${viewId} does not exist`)
  }
  return runOp(doc, ctx, () => {
    roots(doc).meta.set('defaultViewId', viewId)
    return ok(null)
  })
}

/** The project's default shared view, or null when none is set or it was deleted. */
export function getDefaultViewId(doc: YT.Doc): string | null {
  const { meta, views } = roots(doc)
  const id = strOrNull(meta, 'defaultViewId')
  return id !== null && views.get(id) instanceof Y.Map ? id : null
}
