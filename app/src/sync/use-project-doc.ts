import type { BoardView } from '@taskflow/board'
import { useEffect, useState, useSyncExternalStore } from 'react'
import { useRequiredSession } from '../auth/use-session'
import { acquireProjectDoc, type ProjectDoc, releaseProjectDoc } from './project-doc'
import type { SyncStatus } from './sync-status'

/**
 * The open document of a project for the signed-in account, and whether its local copy
 * has been read yet. Acquired on mount and released on unmount (kept warm a few seconds).
 */
export function useProjectDoc(projectId: string): {
  projectDoc: ProjectDoc
  localLoaded: boolean
  /** The saved board view while the document is not loaded yet (display only), else null. */
  snapshot: BoardView | null
} {
  const { user, token } = useRequiredSession()
  const identity = { userId: user.id, token }
  // Acquire during render (not in an effect) so the first paint already reads the doc.
  const [state] = useState(() => ({ projectId, doc: acquireProjectDoc(identity, projectId) }))
  let projectDoc = state.doc
  if (state.projectId !== projectId) {
    state.projectId = projectId
    state.doc = projectDoc = acquireProjectDoc(identity, projectId)
  }
  const [localLoaded, setLocalLoaded] = useState(false)

  useEffect(() => {
    let cancelled = false
    setLocalLoaded(false)
    void projectDoc.whenLocalLoaded.then(() => {
      if (!cancelled) setLocalLoaded(true)
    })
    return () => {
      cancelled = true
      releaseProjectDoc({ userId: user.id, token }, projectDoc.projectId)
    }
  }, [projectDoc, user.id, token])

  const snapshot = useSyncExternalStore(projectDoc.snapshot.subscribe, projectDoc.snapshot.get)

  return { projectDoc, localLoaded, snapshot: localLoaded ? null : snapshot }
}

export function useSyncStatus(projectDoc: ProjectDoc): SyncStatus {
  return useSyncExternalStore(projectDoc.status.subscribe, projectDoc.status.getSnapshot)
}
