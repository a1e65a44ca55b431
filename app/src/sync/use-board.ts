import {
  type BoardView,
  type BoardViewStore,
  createBoardViewStore,
  type Label,
  listLabels,
} from '@taskflow/board'
import { useEffect, useState, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'

const viewStores = new WeakMap<Y.Doc, BoardViewStore>()

/** One incremental view store per document, shared by every component that reads it. */
export function boardViewStoreOf(doc: Y.Doc): BoardViewStore {
  let store = viewStores.get(doc)
  if (!store) {
    store = createBoardViewStore(doc)
    viewStores.set(doc, store)
    doc.once('destroy', () => store?.destroy())
  }
  return store
}

/** The board view; unchanged columns and cards keep identity, so memoised cards skip renders. */
export function useBoardView(doc: Y.Doc): BoardView {
  const store = boardViewStoreOf(doc)
  return useSyncExternalStore(store.subscribe, store.getSnapshot)
}

/** The board's labels, re-read when the labels map changes (rare, small). */
export function useLabels(doc: Y.Doc): Label[] {
  const [labels, setLabels] = useState(() => listLabels(doc))
  useEffect(() => {
    const map = doc.getMap('labels')
    const refresh = () => setLabels(listLabels(doc))
    refresh()
    map.observeDeep(refresh)
    return () => map.unobserveDeep(refresh)
  }, [doc])
  return labels
}
