import { useEffect, useRef, useState } from 'react'
import { z } from 'zod'
import { type ClientAuthor, clientAuthorSchema, getAuthors } from '../../api/collab.api'
import { useRequiredSession } from '../../auth/use-session'
import { readCache, writeCache } from '../../sync/local-cache'

const cachedSchema = z.array(clientAuthorSchema)
/** Least time between two fetches triggered by client ids the binding does not know yet. */
const REFETCH_MS = 1_500

/**
 * The server's authorship binding of a project (Yjs client id → user), cached on this device
 * (the account's local cache, cleared at sign-out) so authors show offline. Bindings only grow,
 * so it is refetched when `clientIds` holds one it does not know yet (throttled).
 */
export function useAuthors(
  projectId: string,
  clientIds: readonly (number | null)[],
): ReadonlyMap<number, ClientAuthor> {
  const { user } = useRequiredSession()
  const key = `authors.${projectId}`
  const [authors, setAuthors] = useState<ReadonlyMap<number, ClientAuthor>>(
    () => new Map((readCache(user.id, key, cachedSchema) ?? []).map((a) => [a.clientId, a])),
  )
  const lastFetch = useRef(0)
  const [generation, setGeneration] = useState(0)

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the refetch trigger
  useEffect(() => {
    let cancelled = false
    lastFetch.current = Date.now()
    getAuthors(projectId).then(
      (list) => {
        if (cancelled) return
        writeCache(user.id, key, list)
        setAuthors(new Map(list.map((a) => [a.clientId, a])))
      },
      () => {}, // offline or refused: keep the cached binding
    )
    return () => {
      cancelled = true
    }
  }, [projectId, user.id, key, generation])

  // A key of the unknown ids: a new one (a teammate's first comment) triggers one refetch;
  // ids the server never bound (an offline comment not yet synced) do not loop.
  const missing = [...new Set(clientIds.filter((id) => id !== null && !authors.has(id)))]
    .sort()
    .join(',')
  useEffect(() => {
    if (!missing) return
    const wait = Math.max(0, lastFetch.current + REFETCH_MS - Date.now())
    const timer = setTimeout(() => setGeneration((g) => g + 1), wait)
    return () => clearTimeout(timer)
  }, [missing])

  return authors
}
