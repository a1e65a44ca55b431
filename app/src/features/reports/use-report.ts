import { useEffect, useMemo, useState } from 'react'
import { z } from 'zod'
import { ApiError, errorMessage } from '../../api/client'
import { useRequiredSession } from '../../auth/use-session'
import { readCache, writeCache } from '../../sync/local-cache'

export interface ReportState<T> {
  /** The latest figures: fresh from the server, or the copy saved on this device. */
  data: T | null
  /** When `data` was fetched from the server (ms since epoch). */
  fetchedAt: number | null
  /** The server cannot be reached; `data` (if any) is the last saved copy. */
  offline: boolean
  error: string | null
  loading: boolean
}

/**
 * One report, fetched from the server whenever `cacheKey` or `tick` changes, and saved in
 * the account's local cache (taskflow.cache.<userId>.*, which sign-out clears) so the page
 * still shows the last figures offline. `cacheKey` must change whenever `load` asks for different figures.
 */
export function useReport<T>(opts: {
  cacheKey: string
  schema: z.ZodType<T>
  load: () => Promise<T>
  tick: number
  online: boolean
}): ReportState<T> {
  const { user } = useRequiredSession()
  const { cacheKey, schema, tick, online } = opts
  const cacheSchema = useMemo(() => z.object({ fetchedAt: z.number(), data: schema }), [schema])
  const [state, setState] = useState<ReportState<T> & { key: string }>(() =>
    fromCache(user.id, cacheKey, cacheSchema),
  )
  // Always the latest loader, without making it an effect dependency (callers pass closures).
  const [loadRef] = useState<{ current: () => Promise<T> }>(() => ({ current: opts.load }))
  loadRef.current = opts.load

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` is the refetch trigger
  useEffect(() => {
    let cancelled = false
    setState((s) => (s.key === cacheKey ? s : fromCache(user.id, cacheKey, cacheSchema)))
    if (!online) {
      setState((s) => ({ ...s, offline: true, loading: false }))
      return
    }
    setState((s) => ({ ...s, loading: true }))
    loadRef.current().then(
      (data) => {
        if (cancelled) return
        const fetchedAt = Date.now()
        writeCache(user.id, cacheKey, { fetchedAt, data })
        setState({ key: cacheKey, data, fetchedAt, offline: false, error: null, loading: false })
      },
      (err: unknown) => {
        if (cancelled) return
        const offline = err instanceof ApiError && err.isNetwork
        setState((s) => ({
          ...s,
          offline,
          error: offline ? null : errorMessage(err),
          loading: false,
        }))
      },
    )
    return () => {
      cancelled = true
    }
  }, [user.id, cacheKey, cacheSchema, tick, online, loadRef])

  return state
}

function fromCache<T>(
  userId: string,
  key: string,
  schema: z.ZodType<{ fetchedAt: number; data: T }>,
): ReportState<T> & { key: string } {
  const cached = readCache(userId, key, schema)
  return {
    key,
    data: cached?.data ?? null,
    fetchedAt: cached?.fetchedAt ?? null,
    offline: false,
    error: null,
    loading: cached === null,
  }
}
