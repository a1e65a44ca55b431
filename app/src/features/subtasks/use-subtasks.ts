import { boardViewStore, getAncestors, getSubtasks, type TaskSummary } from '@taskflow/board'
import { useCallback, useRef, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'

/**
 * A value derived from the board view store, re-read after each change of the view and kept
 * with its identity while it shows the same thing, so a panel section re-renders only when
 * its own tasks changed (the store keeps unchanged summaries' identity).
 */
function useDerived<T>(doc: Y.Doc, read: () => T, same: (a: T, b: T) => boolean): T {
  const store = boardViewStore(doc)
  const cache = useRef<{ view: unknown; value: T } | null>(null)
  const readRef = useRef(read)
  // A new `read` (another task id) must not reuse the previous task's value.
  if (readRef.current !== read) cache.current = null
  readRef.current = read
  const get = useCallback(() => {
    const view = store.getSnapshot()
    const hit = cache.current
    if (hit && hit.view === view) return hit.value
    const value = readRef.current()
    const kept = hit && same(hit.value, value) ? hit.value : value
    cache.current = { view, value: kept }
    return kept
  }, [store, same])
  return useSyncExternalStore(store.subscribe, get)
}

const sameList = <T>(a: readonly T[], b: readonly T[]) =>
  a.length === b.length && a.every((x, i) => x === b[i])
const sameCrumbs = (a: readonly Crumb[], b: readonly Crumb[]) =>
  a.length === b.length && a.every((x, i) => x.id === b[i]!.id && x.title === b[i]!.title)

/** A task's live subtasks in their order (the board package keeps the index). */
export function useSubtasks(doc: Y.Doc, taskId: string): readonly TaskSummary[] {
  const read = useCallback(() => getSubtasks(doc, taskId), [doc, taskId])
  return useDerived(doc, read, sameList)
}

export interface Crumb {
  id: string
  title: string
}

/** A task's ancestors, the top-level one first (empty for a top-level task). */
export function useBreadcrumb(doc: Y.Doc, taskId: string): readonly Crumb[] {
  const read = useCallback(() => getAncestors(doc, taskId), [doc, taskId])
  return useDerived(doc, read, sameCrumbs)
}
