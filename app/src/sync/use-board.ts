import { type BoardView, boardViewStore, type Label, listLabels } from '@taskflow/board'
import { useEffect, useState, useSyncExternalStore } from 'react'
import * as Y from 'yjs'
import { whenInputQuiet } from '../ui/idle-work'
import { writeBoardSnapshot } from './board-snapshot'
import { accountDbPrefix, type ProjectDoc } from './project-doc'

/**
 * The board view; unchanged columns and cards keep identity, so memoised cards skip renders.
 * It is the document's one view store (`boardViewStore`), the one the board operations also
 * use to find neighbours, so an edit patches one view, not two.
 */
export function useBoardView(doc: Y.Doc): BoardView {
  const store = boardViewStore(doc)
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

const SNAPSHOT_DEBOUNCE_MS = 2_000

/**
 * Keeps the project's board snapshot (board-snapshot.ts) current: written a while after
 * the view last changed, and once after each load, when the browser is idle and input has
 * been quiet for a second (cloning a 10k-task view is ~20 short tasks, which otherwise land
 * on the first keystrokes or view switch after opening a board); flushed when the board
 * closes. Nothing is written for a closed document, so sign-out cannot leave a snapshot behind.
 * Nor when the document is in the state the stored snapshot was derived from (same state
 * vector and delete set: the same content, so the same view): a board opened from IndexedDB
 * and not changed since would otherwise store its 10k tasks again on every open. Any change
 * (an edit, the server's updates, rows y-indexeddb stored after the snapshot) is written.
 * Not the state vector alone: deletions do not advance it.
 */
export function useBoardSnapshotWriter(projectDoc: ProjectDoc, userId: string, enabled: boolean) {
  useEffect(() => {
    if (!enabled) return
    const { doc, projectId } = projectDoc
    const store = boardViewStore(doc)
    let timer: ReturnType<typeof setTimeout> | undefined
    let cancelIdle: (() => void) | undefined
    let pending = false
    const write = () => {
      timer = undefined
      cancelIdle = undefined
      if (!pending || projectDoc.closed) return
      pending = false
      const view = store.getSnapshot()
      if (view.schemaVersion === null || view.columns.length === 0) return
      // The view store is flushed above, so `view` is derived from exactly this state.
      const state = Y.snapshot(doc)
      const stored = projectDoc.snapshotDocState
      if (stored && Y.equalSnapshots(stored, state)) return
      projectDoc.snapshotDocState = null
      void writeBoardSnapshot(accountDbPrefix(userId), projectId, view, state).then((ok) => {
        if (ok) projectDoc.snapshotDocState = state
      })
    }
    const schedule = () => {
      pending = true
      clearTimeout(timer)
      cancelIdle?.()
      timer = setTimeout(() => {
        cancelIdle = whenInputQuiet(write)
      }, SNAPSHOT_DEBOUNCE_MS)
    }
    schedule()
    const unsubscribe = store.subscribe(schedule)
    return () => {
      unsubscribe()
      clearTimeout(timer)
      cancelIdle?.()
      write()
    }
  }, [projectDoc, userId, enabled])
}
