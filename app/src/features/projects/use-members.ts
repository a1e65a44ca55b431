import { useCallback, useEffect, useState } from 'react'
import { z } from 'zod'
import { ApiError, errorMessage } from '../../api/client'
import { listMembers } from '../../api/projects.api'
import { type Member, memberSchema } from '../../api/schemas'
import { useRequiredSession } from '../../auth/use-session'
import { readCache, writeCache } from '../../sync/local-cache'

const cachedMembersSchema = z.array(memberSchema)

/** A project's members: from the server, else the copy last seen on this device. */
export function useMembers(projectId: string) {
  const { user } = useRequiredSession()
  const key = `members.${projectId}`
  const [members, setMembers] = useState<Member[] | null>(() =>
    readCache(user.id, key, cachedMembersSchema),
  )
  const [error, setError] = useState<string | null>(null)
  // The server says this account is not (or no longer) a member.
  const [forbidden, setForbidden] = useState(false)
  const [generation, setGeneration] = useState(0)

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the reload trigger
  useEffect(() => {
    let cancelled = false
    listMembers(projectId).then(
      (list) => {
        if (cancelled) return
        writeCache(user.id, key, list)
        setMembers(list)
        setError(null)
        setForbidden(false)
      },
      (err) => {
        if (cancelled || (err instanceof ApiError && err.isNetwork)) return
        setError(errorMessage(err))
        if (err instanceof ApiError && err.status === 403) setForbidden(true)
      },
    )
    return () => {
      cancelled = true
    }
  }, [projectId, user.id, key, generation])

  const reload = useCallback(() => setGeneration((g) => g + 1), [])
  return { members, error, forbidden, reload }
}
