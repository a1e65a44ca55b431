import { useCallback, useEffect, useState } from 'react'
import { ApiError, errorMessage } from '../../api/client'
import { listInvitations } from '../../api/projects.api'
import type { Invitation } from '../../api/schemas'

/** A project's pending invitations, for those who manage members; online only. */
export function useInvitations(projectId: string, enabled: boolean) {
  const [invitations, setInvitations] = useState<Invitation[]>([])
  const [error, setError] = useState<string | null>(null)
  const [generation, setGeneration] = useState(0)

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the reload trigger
  useEffect(() => {
    if (!enabled) return
    let cancelled = false
    listInvitations(projectId).then(
      (list) => {
        if (cancelled) return
        setInvitations(list)
        setError(null)
      },
      (err) => {
        if (cancelled || (err instanceof ApiError && err.isNetwork)) return
        setError(errorMessage(err))
      },
    )
    return () => {
      cancelled = true
    }
  }, [projectId, enabled, generation])

  const reload = useCallback(() => setGeneration((g) => g + 1), [])
  return { invitations, error, reload }
}
