import { useCallback, useEffect, useRef, useState } from 'react'
import { ApiError, errorMessage } from '../../api/client'
import { type ActivityEntry, listActivity } from '../../api/collab.api'

/**
 * Pages of a project's (or one task's) activity, newest first. `refreshKey` changing reloads
 * the first page (e.g. the task changed, so the server may have a new entry).
 */
export function useActivity(
  projectId: string,
  opts: { taskId?: string; userId?: string; refreshKey?: unknown } = {},
) {
  const { taskId, userId, refreshKey } = opts
  const [entries, setEntries] = useState<ActivityEntry[] | null>(null)
  const [nextBefore, setNextBefore] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const gen = useRef(0)
  const filterKey = `${projectId}|${taskId ?? ''}|${userId ?? ''}`
  const lastFilter = useRef(filterKey)

  // biome-ignore lint/correctness/useExhaustiveDependencies: `refreshKey` is the reload trigger
  useEffect(() => {
    const mine = ++gen.current
    // Another filter starts over at once; a refresh of the same one keeps the list shown.
    const refilter = lastFilter.current !== filterKey
    lastFilter.current = filterKey
    if (refilter) {
      setEntries(null)
      setNextBefore(null)
    }
    // Entries are written shortly after an update is stored: give the server a moment.
    const timer = setTimeout(
      () => {
        listActivity(projectId, { taskId, userId, limit: 30 }).then(
          (page) => {
            if (mine !== gen.current) return
            setEntries(page.entries)
            setNextBefore(page.nextBefore)
            setError(null)
          },
          (err) => {
            if (mine !== gen.current) return
            setError(
              err instanceof ApiError && err.isNetwork
                ? 'Activity is not available offline.'
                : errorMessage(err),
            )
          },
        )
      },
      refilter || entries === null ? 0 : 800,
    )
    return () => clearTimeout(timer)
  }, [projectId, taskId, userId, filterKey, refreshKey])

  const loadMore = useCallback(() => {
    if (!nextBefore) return
    const mine = gen.current
    setLoadingMore(true)
    listActivity(projectId, { taskId, userId, before: nextBefore, limit: 30 })
      .then(
        (page) => {
          if (mine !== gen.current) return
          setEntries((e) => [...(e ?? []), ...page.entries])
          setNextBefore(page.nextBefore)
        },
        (err) => setError(errorMessage(err)),
      )
      .finally(() => setLoadingMore(false))
  }, [projectId, taskId, userId, nextBefore])

  return { entries, error, hasMore: nextBefore !== null, loadMore, loadingMore }
}
